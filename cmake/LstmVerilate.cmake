# lstm_verilate(TARGET <verilate() arguments>...): Verilator's verilate(), but
# the target gets the project's one Verilator runtime (lstm_model_host, tb/)
# instead of compiling the runtime's sources again.
#
# The model's C++ files (a dozen small files, each of which spends most of its
# compile time reading verilated.h) are compiled as one unity file per model,
# as Verilator's own makefile does without parallel builds (V<prefix>__ALL.cpp):
# in the CI build that was 118 compiler runs of about 3 s each for the four
# test fixtures of tests/tb.
function(lstm_verilate target)
  get_target_property(_before ${target} SOURCES)
  if(NOT _before)
    set(_before "")
  endif()
  verilate(${target} ${ARGN})
  get_target_property(_sources ${target} SOURCES)
  list(FILTER _sources EXCLUDE REGEX "^${VERILATOR_ROOT}/include/[^/]*\\.cpp$")
  set_property(TARGET ${target} PROPERTY SOURCES ${_sources})
  target_link_libraries(${target} PUBLIC lstm_model_host)

  cmake_parse_arguments(_ARG "" "PREFIX" "" ${ARGN})
  set(_model_sources ${_sources})
  list(REMOVE_ITEM _model_sources ${_before})
  list(FILTER _model_sources INCLUDE REGEX "\\.cpp$")
  set_source_files_properties(${_model_sources} PROPERTIES UNITY_GROUP "${_ARG_PREFIX}")
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
endfunction()
