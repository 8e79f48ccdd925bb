// The host map's mode table is the one source of mode names.
#include <doctest/doctest.h>

#include "spec/host_map.hpp"

using namespace lstm::hostmap;

TEST_SUITE("host map") {
  TEST_CASE("parse_mode reads every name of the mode table and nothing else") {
    for (const Entry& e : kModeTable) {
      CAPTURE(e.name);
      const auto m = parse_mode(e.name);
      REQUIRE(m.has_value());
      CHECK(static_cast<unsigned>(*m) == e.value);
      CHECK(mode_name(*m) == e.name);
    }
    CHECK(!parse_mode("").has_value());
    CHECK(!parse_mode("HC").has_value());
    CHECK(!parse_mode("hc ").has_value());
    CHECK(!parse_mode("auto").has_value());
  }

  TEST_CASE("mode_names lists the table's names in order") {
    const auto names = mode_names();
    REQUIRE(names.size() == std::size(kModeTable));
    CHECK(names == std::vector<std::string>{"single", "mp", "mt", "hc", "hybrid"});
  }
}
