# Warnings for our own targets only: link lstm_warnings to each of them.
add_library(lstm_warnings INTERFACE)
target_compile_options(lstm_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${LSTM_WERROR}>:-Werror>)
# g++ 12 at -O3 reports std::string members of aggregates as maybe
# uninitialized and string concatenation as overlapping memcpy (known false
# positives, GCC bugs 105562 and 105329); they would fail the -Werror CI build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(lstm_warnings INTERFACE -Wno-maybe-uninitialized -Wno-restrict)
endif()
if(LSTM_SANITIZE)
  target_compile_options(lstm_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # -no-pie: a sanitized lstmsim as a position-independent executable has 1.7
  # million relative relocations for the dynamic loader to apply at every
  # start, half of its 0.5 s of CPU per run (the bad-input corpus starts it
  # 184 times).
  target_link_options(lstm_warnings INTERFACE -fsanitize=address,undefined -no-pie)
endif()
