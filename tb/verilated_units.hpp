// verilated_units.hpp: Verilator's C++ output grouped into a few compile units.
//
// Verilator writes one file per class and dependency set, each re-parsing
// verilated.h (about 1.3 s of the compiler's time per file on this project's
// designs). The builder compiles them as a few unity files instead, the way
// Verilator's own makefile does when it does not build in parallel
// (verilated.mk, VM_PARALLEL_BUILDS=0), but one per core for the code that
// runs every cycle and one for the rest:
//
//   - "fast" files (evaluation, called every cycle): compiled optimized, split
//     into `parallel` units balanced by size;
//   - "slow" files (constructors, initial settle, trace setup, symbol table):
//     one unit compiled without optimization, as Verilator's OPT_SLOW does.
//
// The file lists come from the V<prefix>_classes.mk Verilator writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lstm::tb {

// The model's C++ files (names without .cpp, in the order Verilator lists them).
struct VerilatedFiles {
  std::vector<std::string> fast;  // VM_CLASSES_FAST, VM_SUPPORT_FAST
  std::vector<std::string> slow;  // VM_CLASSES_SLOW, VM_SUPPORT_SLOW
};

// Reads mdir/<prefix>_classes.mk. Throws std::runtime_error if it is missing
// or lists no file.
VerilatedFiles read_verilated_files(const std::filesystem::path& mdir, const std::string& prefix);

struct CompileUnit {
  std::filesystem::path source;  // a unity file in mdir that #includes its members
  bool fast = true;              // compile optimized
  std::uintmax_t bytes = 0;      // total size of the members
};

// Writes the unity files into mdir: the fast files in at most `parallel`
// units balanced by size (largest first into the lightest unit), then one
// unit of slow files. Returns the units in that order (the order to start
// them in: optimized code costs several times more per byte).
std::vector<CompileUnit> write_compile_units(const std::filesystem::path& mdir,
                                             const VerilatedFiles& files, unsigned parallel);

}  // namespace lstm::tb
