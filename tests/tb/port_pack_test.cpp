#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>

#include "tb/port_pack.hpp"

using namespace lstm::tb;

TEST_SUITE("port_pack") {
  TEST_CASE("a field that straddles two words of a VlWide lands in both") {
    VlWide<3> w{};
    set_bits(w, 28, 8, 0xAB);
    CHECK(w.at(0) == 0xB0000000u);
    CHECK(w.at(1) == 0x0000000Au);
    CHECK(w.at(2) == 0u);
    CHECK(get_bits(w, 28, 8) == 0xABu);
  }

  TEST_CASE("a 64-bit field can span three words of a VlWide") {
    VlWide<3> w{};
    set_bits(w, 16, 64, 0x0123456789ABCDEFull);
    CHECK(w.at(0) == 0xCDEF0000u);
    CHECK(w.at(1) == 0x456789ABu);
    CHECK(w.at(2) == 0x00000123u);
    CHECK(get_bits(w, 16, 64) == 0x0123456789ABCDEFull);
  }

  TEST_CASE("slices of a flattened VlWide port round-trip and leave their neighbours alone") {
    constexpr unsigned kW = 13;
    constexpr unsigned kN = 7;  // 91 of 96 bits
    VlWide<3> w{};
    w.at(0) = w.at(1) = w.at(2) = 0xFFFFFFFFu;  // bits above the slices must survive
    for (unsigned i = 0; i < kN; ++i) set_slice(w, i, kW, (i * 0x2A5u + 0x1111u) & low_mask(kW));
    for (unsigned i = 0; i < kN; ++i) {
      CHECK(get_slice(w, i, kW) == ((i * 0x2A5u + 0x1111u) & low_mask(kW)));
    }
    CHECK(get_bits(w, kN * kW, 96 - kN * kW) == low_mask(96 - kN * kW));
    set_slice(w, 3, kW, 0);
    CHECK(get_slice(w, 3, kW) == 0u);
    CHECK(get_slice(w, 2, kW) == ((2 * 0x2A5u + 0x1111u) & low_mask(kW)));
    CHECK(get_slice(w, 4, kW) == ((4 * 0x2A5u + 0x1111u) & low_mask(kW)));
  }

  TEST_CASE("signed slices are sign-extended and written as two's complement") {
    VlWide<4> w{};
    set_slice_signed(w, 5, 12, -5);  // bits [60 +: 12], across words 1 and 2
    CHECK(get_slice(w, 5, 12) == 0xFFBu);
    CHECK(get_slice_signed(w, 5, 12) == -5);
    set_slice_signed(w, 5, 12, 2047);
    CHECK(get_slice_signed(w, 5, 12) == 2047);
    set_slice_signed(w, 5, 12, -2048);
    CHECK(get_slice_signed(w, 5, 12) == -2048);
    CHECK(get_slice_signed(w, 4, 12) == 0);
    CHECK(sign_extend(0x80, 8) == -128);
    CHECK(sign_extend(0x7F, 8) == 127);
    CHECK(sign_extend(0xFFFFFFFFFFFFFFFFull, 64) == -1);
  }

  TEST_CASE("values that do not fit are rejected by the checked setters") {
    VlWide<2> w{};
    CHECK_THROWS_AS(set_slice_signed(w, 0, 8, 128), std::range_error);
    CHECK_THROWS_AS(set_slice_signed(w, 0, 8, -129), std::range_error);
    CHECK_THROWS_AS(set_slice_checked(w, 0, 8, 256), std::range_error);
    CHECK_NOTHROW(set_slice_checked(w, 0, 8, 255));
    set_slice(w, 1, 8, 0x1FF);  // unchecked: masked to 8 bits
    CHECK(get_slice(w, 1, 8) == 0xFFu);
    CHECK(get_slice(w, 2, 8) == 0u);
  }

  TEST_CASE("fields outside the port type are rejected") {
    VlWide<2> w{};
    CHECK_THROWS_AS(set_bits(w, 60, 8, 0), std::out_of_range);
    CHECK_THROWS_AS((void)get_bits(w, 0, 65), std::out_of_range);
    CData c = 0;
    CHECK_THROWS_AS(set_bits(c, 4, 5, 0), std::out_of_range);
  }

  TEST_CASE("scalar port types pack slices like wide ones") {
    CData c = 0;
    set_slice(c, 1, 3, 0x5);
    CHECK(c == 0x28);
    SData s = 0xFFFF;
    set_slice(s, 1, 4, 0);
    CHECK(s == 0xFF0F);
    IData i = 0;
    set_slice_signed(i, 3, 8, -1);
    CHECK(i == 0xFF000000u);
    CHECK(get_slice_signed(i, 3, 8) == -1);
    QData q = 0;
    set_slice(q, 1, 24, 0xABCDEFull);
    CHECK(q == 0xABCDEF000000ull);
    CHECK_THROWS_AS(set_slice(q, 1, 40, 0), std::out_of_range);  // bits [79:40]
  }

  TEST_CASE("a whole port set from 32-bit words takes exactly the type's words, bit 0 first") {
    VlWide<3> w{};
    const std::uint32_t three[] = {0x11111111u, 0x22222222u, 0x3u};
    set_words(w, three);
    CHECK(get_bits(w, 0, 64) == 0x2222222211111111ull);
    CHECK(get_bits(w, 64, 2) == 0x3);
    CHECK_THROWS_AS(set_words(w, std::span<const std::uint32_t>(three, 2)), std::invalid_argument);
    QData q = 0;
    set_words(q, std::span<const std::uint32_t>(three, 2));
    CHECK(q == 0x2222222211111111ull);
    SData s = 0;
    const std::uint32_t one[] = {0xBEEFu};
    set_words(s, one);
    CHECK(s == 0xBEEF);
    const std::uint32_t wide[] = {0x1BEEFu};
    CHECK_THROWS_AS(set_words(s, wide), std::invalid_argument);  // bit 16 of a 16-bit type
  }
}
