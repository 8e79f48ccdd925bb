#include "host/row_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

using Image = std::map<std::pair<hostmap::Region, std::uint32_t>, std::vector<std::uint32_t>>;

// Each core's rows: (region, word) -> a word per slot.
std::map<unsigned, Image> core_images(const HwConfig& c, const std::vector<HostWrite>& load) {
  const std::size_t slots = static_cast<std::size_t>(kGates * c.lanes);
  const unsigned w = static_cast<unsigned>(hostmap::row_slot_width(c));
  const std::uint32_t mask = w >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << w) - 1;
  std::map<unsigned, Image> images;
  for (const HostWrite& hw : load) {
    const auto at = hostmap::mem_location(c, hw.addr);
    if (!at)
      throw std::invalid_argument(
          fmt::format("row_passes: write to {:#x} is not a weight or bias word", hw.addr));
    auto& row = images[at->core][{at->region, at->word}];
    row.resize(slots, 0);
    row.at(at->slot) = hw.data & mask;
  }
  return images;
}

// The passes of one image, to the cores of `mask`: a pass per run of consecutive words.
void add_passes(const HwConfig& c, std::uint32_t mask, const Image& image,
                std::vector<RowPass>& out) {
  const auto bits = static_cast<unsigned>(hostmap::slot_bits(c));
  bool open = false;
  std::pair<hostmap::Region, std::uint32_t> next{};
  for (const auto& [key, row] : image) {
    if (!open || key != next) {
      const auto region = static_cast<std::uint32_t>(key.first);
      out.push_back({mask, (region << hostmap::kRegionShift) | (key.second << bits), {}});
      open = true;
    }
    out.back().rows.push_back(row);
    next = {key.first, key.second + 1};
  }
}

}  // namespace

std::vector<RowPass> row_passes(const HwConfig& c, const std::vector<HostWrite>& load) {
  const std::map<unsigned, Image> images = core_images(c, load);
  // Cores with the same image share a mask (a broadcast).
  std::vector<std::pair<std::uint32_t, const Image*>> groups;
  for (const auto& [core, image] : images) {
    bool shared = false;
    for (auto& [mask, img] : groups)
      if (*img == image) {
        mask |= std::uint32_t{1} << core;
        shared = true;
        break;
      }
    if (!shared) groups.emplace_back(std::uint32_t{1} << core, &image);
  }
  std::vector<RowPass> out;
  for (const auto& [mask, image] : groups) add_passes(c, mask, *image, out);
  return out;
}

std::vector<HostWrite> row_pass_writes(const RowPass& p) {
  return {{hostmap::global_reg(hostmap::kWloadMask), p.mask},
          {hostmap::global_reg(hostmap::kWloadAddr), p.addr}};
}

std::uint32_t row_pass_end(const HwConfig& c, const RowPass& p) {
  const auto bits = static_cast<unsigned>(hostmap::slot_bits(c));
  return p.addr + (static_cast<std::uint32_t>(p.rows.size()) << bits);
}

std::vector<std::uint32_t> row_beat_words(const HwConfig& c, const std::vector<std::uint32_t>& row) {
  const std::size_t slots = static_cast<std::size_t>(kGates * c.lanes);
  if (row.size() != slots)
    throw std::invalid_argument(
        fmt::format("row_beat_words: a row of {} slots for a core of {}", row.size(), slots));
  const auto w = static_cast<std::size_t>(hostmap::row_slot_width(c));
  std::vector<std::uint32_t> words((slots * w + 31) / 32, 0);
  for (std::size_t s = 0; s < slots; ++s) {
    const std::uint64_t v = w >= 32 ? row[s] : row[s] & ((std::uint32_t{1} << w) - 1);
    for (std::size_t b = 0; b < w;) {  // bits [s * w + b ...) into their word
      const std::size_t bit = s * w + b, off = bit % 32, take = std::min(32 - off, w - b);
      words[bit / 32] |= static_cast<std::uint32_t>(((v >> b) & ((std::uint64_t{1} << take) - 1)) << off);
      b += take;
    }
  }
  return words;
}

std::uint64_t row_beats(const std::vector<RowPass>& passes) {
  std::uint64_t n = 0;
  for (const RowPass& p : passes) n += p.rows.size();
  return n;
}

}  // namespace lstm
