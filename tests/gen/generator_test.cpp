// lstmgen and its output folder (gen/generator.*, apps/lstmgen_main.cpp).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>  // WIFEXITED

#include "spec/config.hpp"
#include "gen/emit_axi_top.hpp"
#include "gen/emit_top.hpp"
#include "gen/generator.hpp"
#include "gen/memory_table.hpp"
#include "spec/host_map.hpp"
#include "gen/version.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kLstmgen = fs::path(LSTM_BINARY_DIR) / "bin" / "lstmgen";

fs::path scratch(const std::string& name) {
  fs::path d = fs::path(LSTM_BINARY_DIR) / "test_scratch" / "generator" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Exit status of `cmd` run in dir, output in dir/log.
int run(const fs::path& dir, const std::string& cmd, const std::string& log) {
  const int rc =
      std::system(fmt::format("cd '{}' && {} > {} 2>&1", dir.string(), cmd, log).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::map<std::string, std::string> folder(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files[e.path().filename().string()] = read(e.path());
  return files;
}

std::string config_file(const fs::path& dir) {
  const fs::path p = dir / "hw.json";
  write(p, R"({ "name": "small", "cores": 2, "lanes": 4,
  "formats": { "data": { "width": 8, "frac": 5 }, "weight": { "width": 8, "frac": 6 },
               "bias": { "width": 8, "frac": 6 }, "accum": { "width": 24, "frac": 11 },
               "gate": { "width": 10, "frac": 8 }, "cell": { "width": 12, "frac": 8 } },
  "activation": { "kind": "lut", "index_bits": 5, "range": 4 }, "rounding": "nearest",
  "limits": { "max_input": 16, "max_hidden": 16, "max_layers": 3, "weight_depth": 256 } })");
  return p.string();
}

}  // namespace

TEST_SUITE("generator") {
  TEST_CASE("lstmgen run twice writes the same bytes and leaves no temporary folder") {
    const fs::path dir = scratch("twice");
    const std::string cmd = fmt::format("{} --config {} --out out", kLstmgen.string(), config_file(dir));
    REQUIRE(run(dir, cmd, "run1.log") == 0);
    const auto first = folder(dir / "out");
    REQUIRE(run(dir, cmd, "run2.log") == 0);
    CHECK(folder(dir / "out") == first);
    for (const auto& e : fs::directory_iterator(dir))
      CHECK_MESSAGE(e.path().filename().string().find(".tmp-") == std::string::npos, e.path());
    CHECK(first.at("lstm_pkg.sv").find("Command: lstmgen --config") != std::string::npos);
  }

  TEST_CASE("files.f lists the package first, the used rtl copies by name, the generated modules last") {
    const fs::path dir = scratch("layout");
    const fs::path rtl = dir / "rtl";
    fs::create_directories(rtl);
    // The top instantiates lstm_core, lstm_mode_ctrl, lstm_h_merge and lstm_wload, the AXI top
    // lstm_axil_slave, lstm_axis_in and lstm_axis_out; lstm_core instantiates lstm_b. lstm_unused is named only
    // in a comment and a string.
    write(rtl / "lstm_axil_slave.sv", "module lstm_axil_slave;\nendmodule\n");
    write(rtl / "lstm_axis_in.sv", "module lstm_axis_in;\nendmodule\n");
    write(rtl / "lstm_axis_out.sv", "module lstm_axis_out;\nendmodule\n");
    write(rtl / "lstm_wload.sv", "module lstm_wload;\nendmodule\n");
    write(rtl / "lstm_core.sv", "module lstm_core;\n  lstm_b u_b ();\nendmodule\n");
    write(rtl / "lstm_b.sv",
          "// lstm_unused is not instantiated\n/* lstm_unused */\nmodule lstm_b;\n"
          "  initial $display(\"lstm_unused\");\nendmodule\n");
    write(rtl / "lstm_mode_ctrl.sv", "module lstm_mode_ctrl;\nendmodule\n");
    write(rtl / "lstm_h_merge.sv", "module lstm_h_merge;\nendmodule\n");
    write(rtl / "lstm_unused.sv", "module lstm_unused;\nendmodule\n");
    write(rtl / "notes.sv", "not copied\n");
    lstm::HwConfig c;
    lstm::generate_rtl(c, dir / "out", "lstmgen --test", rtl);
    const auto files = folder(dir / "out");
    const std::string list = files.at("files.f");
    const auto body = list.substr(list.find("lstm_pkg.sv"));
    CHECK(body ==
          "lstm_pkg.sv\nlstm_axil_slave.sv\nlstm_axis_in.sv\nlstm_axis_out.sv\nlstm_b.sv\n"
          "lstm_core.sv\nlstm_h_merge.sv\n"
          "lstm_mode_ctrl.sv\nlstm_wload.sv\nlstm_core_regs.sv\nlstm_ctrl_regs.sv\nlstm_top.sv\nlstm_axi_top.sv\n");
    CHECK(files.size() == 15);  // 13 .sv, files.f, manifest.json
    CHECK(files.at("lstm_b.sv").ends_with("\nmodule lstm_b;\n  initial $display(\"lstm_unused\");\nendmodule\n"));
    CHECK(files.at("lstm_b.sv").starts_with(
        fmt::format("// Copied by lstmgen {} from rtl/lstm_b.sv", lstm::kLstmgenVersion)));
    for (const auto& [name, text] : files) {
      if (name == "manifest.json") continue;
      CAPTURE(name);
      CHECK(text.find(fmt::format("config \"default\" (config hash {})", lstm::config_hash(c))) !=
            std::string::npos);
      CHECK(text.find("Do not edit") != std::string::npos);
    }
  }

  TEST_CASE("headers the copied modules include are copied, and files.f names their folder") {
    const fs::path dir = scratch("headers");
    const fs::path rtl = dir / "rtl";
    fs::create_directories(rtl);
    write(rtl / "lstm_core.sv", "`include \"lstm_x.svh\"\nmodule lstm_core;\nendmodule\n");
    write(rtl / "lstm_mode_ctrl.sv", "  `include \"lstm_x.svh\"\nmodule lstm_mode_ctrl;\nendmodule\n");
    write(rtl / "lstm_h_merge.sv", "// `include \"lstm_y.svh\" in a comment\nmodule lstm_h_merge;\nendmodule\n");
    write(rtl / "lstm_axil_slave.sv", "module lstm_axil_slave;\nendmodule\n");
    write(rtl / "lstm_axis_in.sv", "module lstm_axis_in;\nendmodule\n");
    write(rtl / "lstm_axis_out.sv", "module lstm_axis_out;\nendmodule\n");
    write(rtl / "lstm_wload.sv", "module lstm_wload;\nendmodule\n");
    write(rtl / "lstm_x.svh", "`define LSTM_X 1\n");
    write(rtl / "lstm_y.svh", "`define LSTM_Y 1\n");
    lstm::HwConfig c;
    lstm::generate_rtl(c, dir / "out", "lstmgen --test", rtl);
    const auto files = folder(dir / "out");
    CHECK(files.contains("lstm_x.svh"));
    CHECK(files.at("lstm_x.svh").ends_with("\n`define LSTM_X 1\n"));
    CHECK_FALSE(files.contains("lstm_y.svh"));
    const std::string list = files.at("files.f");
    CHECK(list.find("+incdir+.\nlstm_pkg.sv\n") != std::string::npos);
    CHECK(list.find("lstm_x.svh") == std::string::npos);  // included, not compiled
    const auto m = nlohmann::ordered_json::parse(files.at("manifest.json"));
    CHECK(m.at("headers") == nlohmann::ordered_json::array({"lstm_x.svh"}));
    CHECK(m.at("include_dirs") == nlohmann::ordered_json::array({"."}));

    write(rtl / "lstm_h_merge.sv", "`include \"lstm_z.svh\"\nmodule lstm_h_merge;\nendmodule\n");
    CHECK_THROWS_WITH_AS(lstm::generate_rtl(c, dir / "out2", "lstmgen --test", rtl),
                         doctest::Contains("lstm_z.svh"), std::runtime_error);
    CHECK_FALSE(fs::exists(dir / "out2"));
  }

  TEST_CASE("a module the design instantiates but rtl/ lacks is an error") {
    const fs::path dir = scratch("missing");
    const fs::path rtl = dir / "rtl";
    fs::create_directories(rtl);
    write(rtl / "lstm_core.sv", "module lstm_core;\nendmodule\n");
    write(rtl / "lstm_mode_ctrl.sv", "module lstm_mode_ctrl;\nendmodule\n");
    write(rtl / "lstm_axil_slave.sv", "module lstm_axil_slave;\nendmodule\n");
    write(rtl / "lstm_axis_in.sv", "module lstm_axis_in;\nendmodule\n");
    write(rtl / "lstm_axis_out.sv", "module lstm_axis_out;\nendmodule\n");
    write(rtl / "lstm_wload.sv", "module lstm_wload;\nendmodule\n");
    try {
      lstm::generate_rtl(lstm::HwConfig{}, dir / "out", "lstmgen --test", rtl);
      FAIL("no error");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("lstm_h_merge") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir / "out"));
  }

  TEST_CASE("the real output copies exactly the rtl modules the design instantiates") {
    const fs::path dir = scratch("used");
    lstm::HwConfig c;
    lstm::generate_rtl(c, dir / "out", "lstmgen --test");
    const auto files = folder(dir / "out");
    for (const char* n : {"lstm_axi_top.sv", "lstm_axil_slave.sv", "lstm_axis_in.sv",
                          "lstm_axis_out.sv", "lstm_ctrl_regs.sv",
                          "lstm_core.sv", "lstm_core_regs.sv", "lstm_core_seq.sv", "lstm_fifo.sv",
                          "lstm_h_merge.sv", "lstm_mac_array.sv", "lstm_mode_ctrl.sv",
                          "lstm_out_streamer.sv", "lstm_post.sv", "lstm_ram_1r1w.sv",
                          "lstm_x_writer.sv", "lstm_wload.sv", "lstm_assert.svh"})
      CHECK_MESSAGE(files.contains(n), n);
    // Every rtl/lstm_*.sv is part of the design (test fixtures live in tests/).
    for (const auto& e : fs::directory_iterator(lstm::default_rtl_dir())) {
      const std::string n = e.path().filename().string();
      if (n.starts_with("lstm_") && n.ends_with(".sv")) CHECK_MESSAGE(files.contains(n), n);
    }
    // Every module but the AXI top is instantiated by another file of the folder.
    for (const auto& [name, text] : files) {
      if (!name.ends_with(".sv") || name == "lstm_pkg.sv" || name == "lstm_axi_top.sv") continue;
      const std::string module = name.substr(0, name.size() - 3);
      bool used = false;
      for (const auto& [other, other_text] : files)
        if (other != name && other.ends_with(".sv") &&
            other_text.find(module + " ") != std::string::npos)
          used = true;
      CHECK_MESSAGE(used, module);
    }
  }

  TEST_CASE("manifest.json names the generator, top, AXI top, config, files, headers, ports and host map") {
    const fs::path dir = scratch("manifest");
    lstm::HwConfig c;
    lstm::generate_rtl(c, dir / "out", "lstmgen --test");
    const auto m = nlohmann::ordered_json::parse(read(dir / "out" / "manifest.json"));
    std::vector<std::string> keys;
    for (const auto& [k, v] : m.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"generator", "top", "axi_top", "config", "config_hash",
                                           "files", "include_dirs", "headers", "ports", "host_map",
                                           "memories"});
    CHECK(m["include_dirs"] == nlohmann::ordered_json::array({"."}));
    CHECK(m["headers"] == nlohmann::ordered_json::array({"lstm_assert.svh"}));
    CHECK(m["generator"]["name"] == "lstmgen");
    CHECK(m["generator"]["version"] == lstm::kLstmgenVersion);
    CHECK(m["top"] == lstm::kTopName);
    CHECK(m["axi_top"] == lstm::kAxiTopName);
    CHECK(m["config"] == nlohmann::ordered_json::parse(lstm::canonical_config_json(c)));
    CHECK(m["config_hash"] == lstm::config_hash(c));
    CHECK(m["files"].front() == "lstm_pkg.sv");
    // The generated modules last: the register blocks, lstm_top, then the AXI
    // top that instantiates it.
    const auto& files = m["files"];
    REQUIRE(files.size() >= 4);
    CHECK(files[files.size() - 4] == "lstm_core_regs.sv");
    CHECK(files[files.size() - 3] == "lstm_ctrl_regs.sv");
    CHECK(files[files.size() - 2] == "lstm_top.sv");
    CHECK(files.back() == "lstm_axi_top.sv");
    const lstm::sv::Module top = lstm::emit_top(c);
    REQUIRE(m["ports"].size() == top.ports.size());
    for (std::size_t i = 0; i < top.ports.size(); ++i) {
      CHECK(m["ports"][i]["name"] == top.ports[i].name);
      CHECK(m["ports"][i]["width"] == *top.ports[i].type.width.value());
    }
    CHECK(m["host_map"] == lstm::host_map_json(c));
    CHECK(m["memories"] == lstm::memories_json(c));
  }

  TEST_CASE("the memory table is lstm_core's RAM instances, with their package sizes") {
    // Each row names an lstm_ram_1r1w instance of rtl/lstm_core.sv with the
    // width and depth parameters it is written with; emit_package checks the
    // sizes against lstm_pkg at every generation.
    const std::string core = read(lstm::default_rtl_dir() / "lstm_core.sv");
    lstm::HwConfig c;
    c.cores = 3;
    c.lanes = 5;
    const auto rows = lstm::core_memories(c);
    REQUIRE(rows.size() == 6);
    std::int64_t total = 0;
    // The two h buffer copies are lstm_hbuf instances; their banks are its
    // lstm_ram_1r1w instances (two banks with several cores).
    const std::string hbuf = read(lstm::default_rtl_dir() / "lstm_hbuf.sv");
    std::size_t hbufs = 0;
    for (const lstm::CoreMemory& m : rows) {
      if (m.instance.rfind("u_hbuf_", 0) == 0) {
        ++hbufs;
        const std::string copy = m.instance.substr(0, m.instance.find('.'));
        const std::string inst = fmt::format(
            "lstm_hbuf #(.Width({}), .Depth(lstm_pkg::HDepth), .Banks(lstm_pkg::HBanks),\n"
            "              .BankDepth(lstm_pkg::{})) {} (",
            m.width_param, m.depth_param, copy);
        CHECK_MESSAGE(core.find(inst) != std::string::npos, inst);
        CHECK(m.instance == copy + ".gen_two.gen_bank[{slot}].u_ram");
        CHECK(m.per_core == 2);
        CHECK(hbuf.find("lstm_ram_1r1w #(.Width(Width), .Depth(BankDepth)) u_ram (") !=
              std::string::npos);
        total += std::int64_t{m.per_core} * c.cores * m.width * m.depth;
        continue;
      }
      const std::string name = m.instance.substr(m.instance.rfind('.') + 1);
      const std::string inst = fmt::format("{} #(.Width({}), .Depth(lstm_pkg::{})) {} (",
                                           lstm::kRamModule, m.width_param, m.depth_param, name);
      CHECK_MESSAGE(core.find(inst) != std::string::npos, inst);
      if (m.instance.rfind("gen_wmem[{slot}].", 0) == 0) {
        CHECK(core.find("for (genvar m = 0; m < Macs; m++) begin : gen_wmem") != std::string::npos);
        CHECK(m.per_core == 4 * c.lanes);
      }
      total += std::int64_t{m.per_core} * c.cores * m.width * m.depth;
    }
    // Every lstm_ram_1r1w instance of the core is in the table.
    std::size_t instances = 0;
    for (std::size_t at = core.find("lstm_ram_1r1w #("); at != std::string::npos;
         at = core.find("lstm_ram_1r1w #(", at + 1))
      ++instances;
    CHECK(hbufs == 2);
    CHECK(instances + hbufs == rows.size());
    const auto j = lstm::memories_json(c);
    CHECK(j["module"] == "lstm_ram_1r1w");
    CHECK(j["total_bits"] == total);
    CHECK(j["rams"][0]["instance"] == "u_core{core}.gen_wmem[{slot}].u_wram");
    CHECK(j["rams"][0]["instances"] == 3 * 4 * 5);
    CHECK(j["rams"][0]["depth"] == c.limits.weight_depth);
    CHECK(lstm::core_instance(2) == "u_core2");
  }

  TEST_CASE("host_map in manifest.json is the table of host_map.hpp") {
    using namespace lstm::hostmap;
    const auto j = lstm::host_map_json(lstm::HwConfig{});
    CHECK(j["address"]["target_shift"] == kTargetShift);
    CHECK(j["address"]["region_shift"] == kRegionShift);
    CHECK(j["address"]["global_target"] == kGlobal);
    CHECK(j["address"]["regions"]["biases"] == static_cast<unsigned>(Region::Biases));
    CHECK(j["core_registers"]["LAYER_BASE"] == kLayerBase);
    CHECK(j["core_registers"]["STALL_OTHER"] == kStallOther);
    CHECK(j["layer_fields"]["BBASE"] == kBBase);
    CHECK(j["flags"]["OUT_EN"] == kFlagOutEn);
    CHECK(j["flags"]["OUT_WAIT"] == kFlagOutWait);
    CHECK(j["global_registers"]["LANES"] == kLanes);
    CHECK(j["modes"]["hc"] == static_cast<unsigned>(Mode::Hc));
    CHECK(j["status_fields"]["CODE_LSB"] == kStatusCodeLsb);
    // Without "none", and without the batch entries on a design without batching.
    CHECK(j["error_codes"].size() == std::size(kErrorTable) - 2);
    for (const Entry& e : kErrorTable)
      if (e.value != kErrNone && !e.batch)
        CHECK(j["error_codes"][std::to_string(e.value)] == error_name(e.value));
    CHECK(!j["error_codes"].contains(std::to_string(kErrBatch)));
    CHECK(!j["core_registers"].contains("X_LEN"));
    CHECK(!j["layer_fields"].contains("XOFF"));
    CHECK(!j.contains("layer_flags"));
    for (const Table& t : kTables)
      for (const Entry& e : t.entries) {
        CAPTURE(e.sv);
        CHECK(!e.name.empty());
        CHECK(!e.doc.empty());
      }
    CHECK(mode_name(Mode::Mt) == "mt");
    CHECK(error_name(kErrInChain) == "IN_SIZE differs from the previous layer's HIDDEN");
    CHECK(error_name(200) == "unknown error code");
  }

  TEST_CASE("a batch design's manifest.json lists the batch registers, bits and error code") {
    using namespace lstm::hostmap;
    lstm::HwConfig c;
    c.features.batch = true;
    const auto j = lstm::host_map_json(c);
    CHECK(j["error_codes"].size() == std::size(kErrorTable) - 1);
    CHECK(j["error_codes"][std::to_string(kErrBatch)] == error_name(kErrBatch));
    CHECK(j["core_registers"]["X_LEN"] == kXLen);
    CHECK(j["layer_fields"]["XOFF"] == kXOff);
    CHECK(j["layer_fields"]["LFLAGS"] == kLFlags);
    CHECK(j["layer_flags"]["FOLD"] == kLFlagFold);
  }

  TEST_CASE("the output folder lints as a whole with verilator -Wall through files.f") {
    const fs::path dir = scratch("lint");
    REQUIRE(run(dir, fmt::format("{} --config {} --out out", kLstmgen.string(), config_file(dir)),
                "gen.log") == 0);
    // The folder's top is lstm_axi_top (it holds lstm_top; lstm_top alone leaves
    // the package's ByteShift unused).
    CHECK_MESSAGE(run(dir / "out", "verilator --lint-only -Wall -f files.f --top-module lstm_axi_top",
                      "../lint.log") == 0,
                  read(dir / "lint.log"));
    CHECK(run(dir / "out", "iverilog -g2012 -s lstm_axi_top -o top.vvp -c files.f", "../icarus.log") == 0);
  }

  TEST_CASE("a config that leaves the optional parts out gets no row loader and sets lstm_core's parameters") {
    const fs::path dir = scratch("features");
    std::string text = read(config_file(dir));
    text.insert(text.rfind('}'),
                R"(, "features": { "row_loader": false, "counters": false, "weight_readback": false })");
    write(dir / "lean.json", text);
    REQUIRE(run(dir, fmt::format("{} --config lean.json --out out", kLstmgen.string()), "gen.log") == 0);
    const auto files = folder(dir / "out");
    CHECK_FALSE(files.contains("lstm_wload.sv"));
    CHECK(files.at("files.f").find("lstm_wload") == std::string::npos);
    const std::string& top = files.at("lstm_top.sv");
    CHECK(top.find("u_wload") == std::string::npos);
    CHECK(top.find("assign wl_ready_o = 1'd0;") != std::string::npos);
    for (const char* p : {".RowWrites  (1'd0)", ".Counters   (1'd0)", ".WeightRead (1'd0)"})
      CHECK_MESSAGE(top.find(p) != std::string::npos, p);
    const auto manifest = nlohmann::json::parse(files.at("manifest.json"));
    CHECK(manifest["config"]["features"] ==
          nlohmann::json({{"row_loader", false}, {"counters", false}, {"weight_readback", false}}));
    CHECK_MESSAGE(run(dir / "out", "verilator --lint-only -Wall -f files.f --top-module lstm_axi_top",
                      "../lint.log") == 0,
                  read(dir / "lint.log"));
    // With every part (the default) lstm_core keeps its defaults: no parameters.
    REQUIRE(run(dir, fmt::format("{} --config {} --out full", kLstmgen.string(), config_file(dir)),
                "gen-full.log") == 0);
    const std::string full = read(dir / "full" / "lstm_top.sv");
    CHECK(full.find("u_wload") != std::string::npos);
    CHECK(full.find("RowWrites") == std::string::npos);
    CHECK(full.find("Counters") == std::string::npos);
    CHECK_FALSE(nlohmann::json::parse(read(dir / "full" / "manifest.json"))["config"].contains("features"));
  }

  TEST_CASE("a bad config exits 2 with FILE: /path: message and writes nothing") {
    const fs::path dir = scratch("bad");
    write(dir / "bad.json", R"({ "name": "bad", "lanes": 0, "bogus": 1 })");
    CHECK(run(dir, fmt::format("{} --config bad.json --out out", kLstmgen.string()), "err.log") == 2);
    CHECK_FALSE(fs::exists(dir / "out"));
    const std::string err = read(dir / "err.log");
    CHECK(err.find("bad.json: /lanes: ") != std::string::npos);
    CHECK(err.find("bad.json: /bogus: ") != std::string::npos);
    CHECK(run(dir, fmt::format("{} --config missing.json --out out", kLstmgen.string()), "err2.log") == 2);
    CHECK_FALSE(fs::exists(dir / "out"));
  }

  TEST_CASE("an existing folder that lstmgen did not write is never replaced") {
    const fs::path dir = scratch("foreign");
    fs::create_directories(dir / "out");
    write(dir / "out" / "precious.txt", "keep me\n");
    CHECK_THROWS_AS(lstm::generate_rtl(lstm::HwConfig{}, dir / "out", "lstmgen --test"),
                    std::runtime_error);
    CHECK(read(dir / "out" / "precious.txt") == "keep me\n");
    CHECK(run(dir, fmt::format("{} --config {} --out out", kLstmgen.string(), config_file(dir)),
              "err.log") == 1);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 3);  // hw.json, out, err.log
  }

  TEST_CASE("--print-config prints the canonical config and --help explains the folder") {
    const fs::path dir = scratch("cli");
    REQUIRE(run(dir, fmt::format("{} --config {} --print-config", kLstmgen.string(), config_file(dir)),
                "cfg.log") == 0);
    CHECK(nlohmann::json::parse(read(dir / "cfg.log"))["name"] == "small");
    REQUIRE(run(dir, fmt::format("{} --help", kLstmgen.string()), "help.log") == 0);
    const std::string help = read(dir / "help.log");
    for (const char* s : {"--config", "--out", "--print-config", "files.f", "manifest.json", "banner"})
      CHECK_MESSAGE(help.find(s) != std::string::npos, s);
    CHECK(run(dir, fmt::format("{} --config x.json", kLstmgen.string()), "usage.log") == 2);
  }
}
