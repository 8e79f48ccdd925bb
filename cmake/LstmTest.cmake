# lstm_add_test(NAME SOURCES... [LIBS ...] [LABELS ...]): one doctest
# executable, its test cases registered with ctest one by one. Label `rtl`
# marks tests that build or simulate generated designs (minutes each); the
# sanitizer run in tools/test.sh leaves them out (ctest -LE rtl).
include(doctest)
function(lstm_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp)
  target_link_libraries(${name} PRIVATE doctest::doctest lstm_warnings ${ARG_LIBS})
  # Headers are included by a path that names their part: "tb/harness.hpp".
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    LSTM_SOURCE_DIR="${PROJECT_SOURCE_DIR}" LSTM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  set(_properties "")
  if(ARG_LABELS)
    set(_properties PROPERTIES LABELS "${ARG_LABELS}")
  endif()
  doctest_discover_tests(${name} TEST_PREFIX "${name}: "
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR} ${_properties})
endfunction()
