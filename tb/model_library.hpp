// model_library.hpp: a model plugin loaded into this process.
//
// The rtl engine builds each config's verilated model, with its adapter, into
// a shared object (tb/rtl_build.hpp). The program that loads it (rtlsim, the
// tests) holds the Verilator runtime and exports its symbols (CMake target
// lstm_model_host), so the plugin holds nothing but the model:
//
//   ModelLibrary lib(plugin_path);                     // dlopen
//   auto make = lib.entry<MakeAccelDutFn>(kMakeAccelDutSymbol);
//
// The library must outlive every model made from it.
#pragma once

#include <filesystem>
#include <string>

namespace lstm::tb {

class ModelLibrary {
 public:
  // Throws std::runtime_error naming the file and the loader's reason.
  explicit ModelLibrary(const std::filesystem::path& path);
  ~ModelLibrary();
  ModelLibrary(const ModelLibrary&) = delete;
  ModelLibrary& operator=(const ModelLibrary&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The address of an exported function, cast to Fn. Throws std::runtime_error
  // if the plugin does not export `name`.
  template <class Fn>
  Fn entry(const char* name) const {
    return reinterpret_cast<Fn>(symbol(name));
  }

 private:
  void* symbol(const char* name) const;

  std::filesystem::path path_;
  void* handle_ = nullptr;
};

}  // namespace lstm::tb
