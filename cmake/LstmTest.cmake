# lstm_add_test(NAME SOURCES... [LIBS ...] [LABELS ...] [RTL_CASES regex] [OPTIMIZED]):
# one doctest executable, its test cases registered with ctest one by one.
# A Debug build (the sanitized ci preset: -O1 for the libraries and programs)
# compiles the test sources at -O0: test code does little work itself, and
# sanitized -O1 took twice as long to compile it (README.md, "Tests").
# OPTIMIZED keeps -O1 for a test whose own loops do the work (activation_test
# sweeps every input: 19 s of CPU at -O1, 84 s at -O0).
#
# Labels (README.md, "Tests"; `ctest --preset dev -L <label>`): every test case
# gets the label of its area, the folder under tests/ (spec, sim, gen, tb,
# rtl, bench, host), and one of
#   rtl   it runs Verilator, Icarus or Yosys, or builds or simulates a design
#         (seconds to minutes each): the whole executable with LABELS rtl, or
#         the cases whose name matches RTL_CASES;
#   unit  everything else (milliseconds each).
# The quick sanitizer run (asan preset) leaves the rtl tests out (ctest -LE
# rtl); the ci preset, sanitized too, runs them all.
#
# rtl tests also get a COST, so that a first run (no timings recorded yet, as
# in CI) starts them before the unit tests, which then fill the other core
# instead of leaving it idle behind the last long test.
include(doctest)
set(LSTM_RTL_TEST_COST 100)

# lstm_test_programs: every program ctest runs (the test executables, lstmsim
# and lstmgen), so a build that only tests (the asan preset) builds just
# those and not the benchmarks: `cmake --build --preset asan` builds it.
# lstm_add_test adds each test executable; tests/CMakeLists.txt the apps.
if(NOT TARGET lstm_test_programs)
  add_custom_target(lstm_test_programs)
endif()

# doctest's main and runner, compiled once for every test executable.
if(NOT TARGET lstm_doctest_main)
  add_library(lstm_doctest_main OBJECT ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp)
  target_link_libraries(lstm_doctest_main PRIVATE doctest::doctest lstm_warnings)
endif()

# The area of the tests of the current folder: its name under tests/.
function(lstm_test_area out)
  file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "/.*" "" _rel "${_rel}")
  set(${out} ${_rel} PARENT_SCOPE)
endfunction()

# lstm_label_tests(TEST... LABELS label...): labels for tests added with
# add_test(), the area's label first (as lstm_add_test does).
function(lstm_label_tests)
  cmake_parse_arguments(ARG "" "" "LABELS" ${ARGN})
  lstm_test_area(_area)
  set(_labels ${_area} ${ARG_LABELS})
  list(REMOVE_DUPLICATES _labels)
  set_tests_properties(${ARG_UNPARSED_ARGUMENTS} PROPERTIES LABELS "${_labels}")
  if("rtl" IN_LIST ARG_LABELS)
    set_tests_properties(${ARG_UNPARSED_ARGUMENTS} PROPERTIES COST ${LSTM_RTL_TEST_COST})
  endif()
endfunction()

function(lstm_add_test name)
  cmake_parse_arguments(ARG "OPTIMIZED" "RTL_CASES" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} $<TARGET_OBJECTS:lstm_doctest_main>)
  add_dependencies(lstm_test_programs ${name})
  target_link_libraries(${name} PRIVATE doctest::doctest lstm_warnings ${ARG_LIBS})
  # Headers are included by a path that names their part: "tb/harness.hpp".
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    LSTM_SOURCE_DIR="${PROJECT_SOURCE_DIR}" LSTM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  if(NOT ARG_OPTIMIZED)
    target_compile_options(${name} PRIVATE $<$<CONFIG:Debug>:-O0>)
  endif()
  doctest_discover_tests(${name} TEST_PREFIX "${name}: " WORKING_DIRECTORY ${PROJECT_BINARY_DIR})

  # The test cases are known only once the executable is built: a script that
  # ctest includes after doctest's list labels them (TEST_INCLUDE_FILES are
  # included in order).
  lstm_test_area(_area)
  set(_rtl_cases "${ARG_RTL_CASES}")
  if("rtl" IN_LIST ARG_LABELS)
    set(_rtl_cases ".")  # every case
  endif()
  list(REMOVE_ITEM ARG_LABELS rtl unit)
  set(_labels ${_area} ${ARG_LABELS})
  list(REMOVE_DUPLICATES _labels)
  set(_rtl_labels ${_labels} rtl)
  list(REMOVE_DUPLICATES _rtl_labels)
  set(_script "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE ${_script}
    "# Written by lstm_add_test (cmake/LstmTest.cmake): the labels of ${name}'s cases.\n"
    "foreach(_t IN LISTS ${name}_TESTS)\n"
    "  if(NOT [==[${_rtl_cases}]==] STREQUAL \"\" AND _t MATCHES [==[${_rtl_cases}]==])\n"
    "    set_tests_properties(\"\${_t}\" PROPERTIES LABELS [==[${_rtl_labels}]==]\n"
    "      COST ${LSTM_RTL_TEST_COST})\n"
    "  else()\n"
    "    set_tests_properties(\"\${_t}\" PROPERTIES LABELS [==[${_labels};unit]==])\n"
    "  endif()\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${_script})
endfunction()
