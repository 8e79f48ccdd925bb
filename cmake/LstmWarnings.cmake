# Warnings for our own targets only: link lstm_warnings to each of them.
add_library(lstm_warnings INTERFACE)
target_compile_options(lstm_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${LSTM_WERROR}>:-Werror>)
if(LSTM_SANITIZE)
  target_compile_options(lstm_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(lstm_warnings INTERFACE -fsanitize=address,undefined)
endif()
