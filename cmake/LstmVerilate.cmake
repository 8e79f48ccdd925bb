# lstm_verilate(TARGET <verilate() arguments>...): Verilator's verilate(), but
# the target gets the project's one Verilator runtime (lstm_model_host, tb/)
# instead of compiling the runtime's sources again.
function(lstm_verilate target)
  verilate(${target} ${ARGN})
  get_target_property(_sources ${target} SOURCES)
  list(FILTER _sources EXCLUDE REGEX "^${VERILATOR_ROOT}/include/[^/]*\\.cpp$")
  set_property(TARGET ${target} PROPERTY SOURCES ${_sources})
  target_link_libraries(${target} PUBLIC lstm_model_host)
endfunction()
