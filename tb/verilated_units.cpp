// verilated_units.cpp: see verilated_units.hpp.
#include "tb/verilated_units.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace lstm::tb {

namespace fs = std::filesystem;

VerilatedFiles read_verilated_files(const fs::path& mdir, const std::string& prefix) {
  const fs::path mk = mdir / (prefix + "_classes.mk");
  std::ifstream in(mk);
  if (!in) throw std::runtime_error("rtl: Verilator wrote no " + mk.string());
  // "VM_CLASSES_FAST += \" followed by one "\tName \" line per file and a blank line.
  static const std::regex head(R"(^(VM_\w+) \+= \\\s*$)");
  static const std::regex item(R"(^\s+(\S+) \\\s*$)");
  VerilatedFiles out;
  std::vector<std::string>* list = nullptr;
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, head)) {
      const std::string var = m[1];
      list = var == "VM_CLASSES_FAST" || var == "VM_SUPPORT_FAST"   ? &out.fast
             : var == "VM_CLASSES_SLOW" || var == "VM_SUPPORT_SLOW" ? &out.slow
                                                                    : nullptr;  // runtime, user files
    } else if (list && std::regex_match(line, m, item)) {
      list->push_back(m[1]);
    } else {
      list = nullptr;
    }
  }
  if (out.fast.empty() && out.slow.empty())
    throw std::runtime_error("rtl: " + mk.string() + " lists no model files");
  return out;
}

namespace {

std::uintmax_t size_of(const fs::path& mdir, const std::string& name) {
  std::error_code ec;
  const auto n = fs::file_size(mdir / (name + ".cpp"), ec);
  if (ec) throw std::runtime_error("rtl: Verilator listed " + name + ".cpp but did not write it");
  return n;
}

CompileUnit write_unit(const fs::path& mdir, const std::string& name,
                       const std::vector<std::string>& members, bool fast) {
  CompileUnit u{mdir / (name + ".cpp"), fast, 0};
  std::ofstream out(u.source, std::ios::trunc);
  out << "// " << name << ": a compile unit of the files below (tb/verilated_units.hpp)\n";
  for (const auto& m : members) {
    out << "#include \"" << m << ".cpp\"\n";
    u.bytes += size_of(mdir, m);
  }
  if (!out) throw std::runtime_error("rtl: cannot write " + u.source.string());
  return u;
}

}  // namespace

std::vector<CompileUnit> write_compile_units(const fs::path& mdir, const VerilatedFiles& files,
                                             unsigned parallel) {
  std::vector<std::pair<std::uintmax_t, std::string>> fast;
  for (const auto& f : files.fast) fast.emplace_back(size_of(mdir, f), f);
  std::stable_sort(fast.begin(), fast.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::size_t bins = std::max<std::size_t>(1, std::min<std::size_t>(parallel, fast.size()));
  std::vector<std::vector<std::string>> members(bins);
  std::vector<std::uintmax_t> load(bins, 0);
  for (const auto& [bytes, name] : fast) {
    const auto b = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    members[b].push_back(name);
    load[b] += bytes;
  }
  std::vector<CompileUnit> units;
  for (std::size_t b = 0; b < bins; ++b)
    if (!members[b].empty())
      units.push_back(write_unit(mdir, "lstm_unit_fast_" + std::to_string(b), members[b], true));
  if (!files.slow.empty()) units.push_back(write_unit(mdir, "lstm_unit_slow", files.slow, false));
  return units;
}

}  // namespace lstm::tb
