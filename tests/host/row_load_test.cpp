// host/row_load: the packing of a row into a weight row beat's TDATA words.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "host/row_load.hpp"
#include "sim/run_common.hpp"
#include "spec/host_map.hpp"

using namespace lstm;

TEST_SUITE("row load") {
  TEST_CASE("a row beat holds slot s at bits [s * WRowSlotW +: WRowSlotW], masked, in 32-bit words") {
    HwConfig c = load_config_or_throw(std::string(LSTM_SOURCE_DIR) + "/configs/small.json");
    REQUIRE(hostmap::row_slot_width(c) == 8);  // 16 slots of 8 bits: four words
    std::vector<std::uint32_t> row(16, 0);
    row[0] = 0x1FF;  // bit 8 is above the slot
    row[5] = 0xA5;
    row[15] = 0x80;
    const auto words = row_beat_words(c, row);
    REQUIRE(words.size() == 4);
    CHECK(words[0] == 0xFFu);
    CHECK(words[1] == 0xA500u);
    CHECK(words[2] == 0u);
    CHECK(words[3] == 0x80000000u);
    CHECK_THROWS_AS(row_beat_words(c, std::vector<std::uint32_t>(15, 0)), std::invalid_argument);

    c.weight.width = 12;  // 16-bit slots: slot 1 in the top half of word 0
    c.bias.width = 10;
    REQUIRE(hostmap::row_slot_width(c) == 16);
    const auto wide = row_beat_words(c, row);
    REQUIRE(wide.size() == 8);
    CHECK(wide[0] == 0x1FFu);
    CHECK(wide[2] == 0xA50000u);
    CHECK(wide[7] == 0x800000u);
  }
}
