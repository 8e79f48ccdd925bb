// accel_dut.cpp: see accel_dut.hpp.
#include "tb/accel_dut.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace lstm::tb {

AccelDutFactory accel_dut_factory(const ModelLibrary& lib, const std::string& config_hash,
                                  const AccelDutShape& shape) {
  const unsigned abi = lib.entry<AccelDutAbiFn>(kAccelDutAbiSymbol)();
  if (abi != kAccelDutAbi)
    throw std::runtime_error(fmt::format(
        "model plugin {} implements AccelDut version {}, this program version {}; remove the "
        "plugin to rebuild it",
        lib.path().string(), abi, kAccelDutAbi));
  const std::string built_for = lib.entry<ConfigHashFn>(kConfigHashSymbol)();
  if (built_for != config_hash)
    throw std::runtime_error(fmt::format("model plugin {} was built for config {}, not {}",
                                         lib.path().string(), built_for, config_hash));
  const auto make = lib.entry<MakeAccelDutFn>(kMakeAccelDutSymbol);
  return [make, shape](VerilatedContext& ctx) {
    return std::unique_ptr<AccelDut>(make(&ctx, &shape));
  };
}

}  // namespace lstm::tb
