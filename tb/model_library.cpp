// model_library.cpp: see model_library.hpp.
#include "tb/model_library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace lstm::tb {

namespace {

std::string loader_error() {
  const char* e = ::dlerror();
  return e ? e : "unknown reason";
}

}  // namespace

ModelLibrary::ModelLibrary(const std::filesystem::path& path) : path_(path) {
  // RTLD_LOCAL: models of several configs (all named Vlstm_axi_top) can be loaded
  // side by side; each binds to its own symbols.
  handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_)
    throw std::runtime_error("cannot load model plugin " + path.string() + ": " + loader_error());
}

ModelLibrary::~ModelLibrary() {
  if (handle_) ::dlclose(handle_);
}

void* ModelLibrary::symbol(const char* name) const {
  ::dlerror();
  void* p = ::dlsym(handle_, name);
  if (!p)
    throw std::runtime_error("model plugin " + path_.string() + " has no entry point " + name +
                             " (built by an older version? remove it to rebuild)");
  return p;
}

}  // namespace lstm::tb
