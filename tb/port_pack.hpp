// port_pack.hpp: the only code that packs numbers into Verilator port types.
//
// Verilator maps a port of W bits to CData (W <= 8), SData (<= 16),
// IData (<= 32), QData (<= 64) or VlWide<N> (N 32-bit words, bit 0 in word 0).
// A flattened vector port `logic [N*W-1:0] x` holds element i in bits
// [i*W +: W]; these helpers read and write such slices. Slices may straddle
// 32-bit word boundaries of a VlWide port. A field is at most 64 bits wide.
//
//   set_slice(top.in_data_i, core, 16, word);          // unsigned, masked to 16 bits
//   set_slice_signed(top.x_i, lane, 12, -5);           // throws if -5 does not fit
//   int64_t h = get_slice_signed(top.h_o, lane, 12);   // sign-extended
//
// Bits outside the slice are preserved. The helpers know the size of the C++
// type, not the declared port width: writing above the declared width is a bug
// the caller must avoid (Verilator assumes those bits are zero).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <verilated.h>

namespace lstm::tb {

// Low `width` bits set (width 0..64).
constexpr uint64_t low_mask(unsigned width) {
  return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
}

// Interpret the low `width` bits of `raw` as a two's complement number.
constexpr int64_t sign_extend(uint64_t raw, unsigned width) {
  if (width == 0) return 0;
  if (width >= 64) return static_cast<int64_t>(raw);
  const uint64_t m = low_mask(width);
  const uint64_t sign = uint64_t{1} << (width - 1);
  const uint64_t v = raw & m;
  return static_cast<int64_t>((v ^ sign) - sign);
}

// Does `value` fit in `width` bits, unsigned / two's complement?
constexpr bool fits_unsigned(uint64_t value, unsigned width) {
  return width >= 64 || (value >> width) == 0;
}
constexpr bool fits_signed(int64_t value, unsigned width) {
  if (width >= 64) return true;
  if (width == 0) return value == 0;
  const int64_t lo = -(int64_t{1} << (width - 1));
  const int64_t hi = (int64_t{1} << (width - 1)) - 1;
  return value >= lo && value <= hi;
}

namespace detail {

template <class T>
inline constexpr bool is_scalar_port_v =
    std::is_same_v<T, CData> || std::is_same_v<T, SData> || std::is_same_v<T, IData> ||
    std::is_same_v<T, QData>;

inline void check_range(unsigned lsb, unsigned width, std::size_t port_bits) {
  if (width == 0 || width > 64) {
    throw std::out_of_range("port_pack: field width " + std::to_string(width) +
                            " is not in 1..64");
  }
  if (static_cast<std::size_t>(lsb) + width > port_bits) {
    throw std::out_of_range("port_pack: bits [" + std::to_string(lsb + width - 1) + ":" +
                            std::to_string(lsb) + "] lie outside a " +
                            std::to_string(port_bits) + "-bit port type");
  }
}

}  // namespace detail

// ---- raw bit fields: bits [lsb + width - 1 : lsb] ---------------------------

template <class T>
  requires detail::is_scalar_port_v<T>
uint64_t get_bits(const T& port, unsigned lsb, unsigned width) {
  detail::check_range(lsb, width, sizeof(T) * 8);
  return (static_cast<uint64_t>(port) >> lsb) & low_mask(width);
}

template <class T>
  requires detail::is_scalar_port_v<T>
void set_bits(T& port, unsigned lsb, unsigned width, uint64_t value) {
  detail::check_range(lsb, width, sizeof(T) * 8);
  const uint64_t m = low_mask(width) << lsb;
  const uint64_t cur = static_cast<uint64_t>(port);
  port = static_cast<T>((cur & ~m) | ((value << lsb) & m));
}

template <std::size_t N>
uint64_t get_bits(const VlWide<N>& port, unsigned lsb, unsigned width) {
  detail::check_range(lsb, width, N * 32);
  uint64_t result = 0;
  unsigned done = 0;
  while (done < width) {
    const unsigned bit = lsb + done;
    const unsigned word = bit / 32;
    const unsigned off = bit % 32;
    const unsigned take = std::min(32u - off, width - done);
    const uint64_t chunk = (static_cast<uint64_t>(port.at(word)) >> off) & low_mask(take);
    result |= chunk << done;
    done += take;
  }
  return result;
}

template <std::size_t N>
void set_bits(VlWide<N>& port, unsigned lsb, unsigned width, uint64_t value) {
  detail::check_range(lsb, width, N * 32);
  unsigned done = 0;
  while (done < width) {
    const unsigned bit = lsb + done;
    const unsigned word = bit / 32;
    const unsigned off = bit % 32;
    const unsigned take = std::min(32u - off, width - done);
    const uint64_t m = low_mask(take) << off;  // fits in 32 bits
    const uint64_t chunk = ((value >> done) & low_mask(take)) << off;
    const uint64_t cur = port.at(word);
    port.at(word) = static_cast<EData>((cur & ~m) | chunk);
    done += take;
  }
}

// ---- element i of a flattened vector port: bits [i*width +: width] -------------

template <class P>
uint64_t get_slice(const P& port, unsigned index, unsigned width) {
  return get_bits(port, index * width, width);
}

template <class P>
int64_t get_slice_signed(const P& port, unsigned index, unsigned width) {
  return sign_extend(get_bits(port, index * width, width), width);
}

// Writes the low `width` bits of `value` (so a negative number cast to
// uint64_t lands as its two's complement).
template <class P>
void set_slice(P& port, unsigned index, unsigned width, uint64_t value) {
  set_bits(port, index * width, width, value);
}

// Like set_slice, but throws std::range_error if `value` does not fit.
template <class P>
void set_slice_checked(P& port, unsigned index, unsigned width, uint64_t value) {
  if (!fits_unsigned(value, width)) {
    throw std::range_error("port_pack: value " + std::to_string(value) + " does not fit in " +
                           std::to_string(width) + " unsigned bits");
  }
  set_bits(port, index * width, width, value);
}

// Signed field; throws std::range_error if `value` does not fit in `width` bits.
template <class P>
void set_slice_signed(P& port, unsigned index, unsigned width, int64_t value) {
  if (!fits_signed(value, width)) {
    throw std::range_error("port_pack: value " + std::to_string(value) + " does not fit in " +
                           std::to_string(width) + " signed bits");
  }
  set_bits(port, index * width, width, static_cast<uint64_t>(value));
}

// Whole port (the low `width` bits; width <= 64).
template <class P>
uint64_t get_port(const P& port, unsigned width) {
  return get_bits(port, 0, width);
}
template <class P>
void set_port(P& port, unsigned width, uint64_t value) {
  set_bits(port, 0, width, value);
}

// A whole port from 32-bit words, bit 0 of words[0] first (a wide port such
// as a weight row beat). words.size() must be the port type's word count
// (1 for CData..IData, 2 for QData, N for VlWide<N>); throws
// std::invalid_argument otherwise, or if bits above a scalar type are set.
template <class T>
  requires detail::is_scalar_port_v<T>
void set_words(T& port, std::span<const std::uint32_t> words) {
  const std::size_t n = (sizeof(T) + 3) / 4;
  if (words.size() != n)
    throw std::invalid_argument("port_pack: " + std::to_string(words.size()) +
                                " words for a port of " + std::to_string(n));
  uint64_t v = words[0];
  if (n == 2) v |= static_cast<uint64_t>(words[1]) << 32;
  if constexpr (sizeof(T) < 8) {
    if ((v >> (sizeof(T) * 8)) != 0)
      throw std::invalid_argument("port_pack: bits above a " + std::to_string(sizeof(T) * 8) +
                                  "-bit port type");
  }
  port = static_cast<T>(v);
}

template <std::size_t N>
void set_words(VlWide<N>& port, std::span<const std::uint32_t> words) {
  if (words.size() != N)
    throw std::invalid_argument("port_pack: " + std::to_string(words.size()) +
                                " words for a port of " + std::to_string(N));
  for (std::size_t i = 0; i < N; ++i) port.at(i) = static_cast<EData>(words[i]);
}

}  // namespace lstm::tb
