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
  target_link_options(lstm_warnings INTERFACE -fsanitize=address,undefined)
endif()
