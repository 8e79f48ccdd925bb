// Name check of the SystemVerilog syntax tree (gen/sv/ast.hpp): every plain
// name an expression uses is declared before it, in its scope or an enclosing
// one, and nothing is declared twice. sv::print() runs it, so a misspelt or
// misplaced name fails at generation time, not at lint time.
//
//   lstm::sv::check_names(module);  // throws std::logic_error naming the name
#pragma once

#include <string>
#include <vector>

#include "gen/sv/ast.hpp"

namespace lstm::sv {

void check_names(const Module& m);
void check_names(const Package& p);

// The plain names an expression's text uses, in order: not scoped names
// (`lstm_pkg::DataW`), system functions (`$clog2`), numbers or literals.
std::vector<std::string> plain_names(const Expr& e);

}  // namespace lstm::sv
