// overloaded.hpp: one lambda per alternative for std::visit over the tree's variants.
//
//   std::visit(Overloaded{[](const Assign& a) { ... }, [](const If& i) { ... }}, stmt.node);
#pragma once

namespace lstm::sv {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace lstm::sv
