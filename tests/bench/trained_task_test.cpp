// The trained models of bench/models/ as the accuracy benchmark reads them:
// the task files load, the float engine reproduces the accuracy torch measured
// when it trained them (so inputs, labels, output layer and state carrying are
// read as torch used them), and the golden model at the default formats keeps
// that accuracy.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "bench/trained_task.hpp"

using namespace lstm;

namespace {

std::string task_path(const char* name) {
  return (std::filesystem::path(LSTM_SOURCE_DIR) / "bench" / "models" / name).string();
}

}  // namespace

TEST_SUITE("trained_task") {

TEST_CASE("the character model streams 3999 steps in chunks of 100 with the state carried") {
  const TrainedTask t = load_trained_task(task_path("char_lstm.task.json"));
  CHECK(t.model.cell == CellType::Lstm);
  CHECK(t.model.layers.size() == 2);
  CHECK(t.carry_state);
  REQUIRE(t.inputs.size() == 40);
  CHECK(t.inputs.front().size() == 100);
  CHECK(t.inputs.back().size() == 99);
  CHECK(t.labels.size() == 3999);
}

TEST_CASE("the float engine reproduces torch's accuracy on both trained models") {
  for (const char* name : {"char_lstm.task.json", "wave_gru.task.json"}) {
    const TrainedTask t = load_trained_task(task_path(name));
    const TaskRun f = run_task_float(t);
    INFO(fmt::format("{}: torch {:.6f}, float {:.6f}", name, t.torch_accuracy, f.accuracy));
    CHECK(f.accuracy == doctest::Approx(t.torch_accuracy).epsilon(1e-12));
  }
}

TEST_CASE("the golden model at the default formats loses at most 1% of the accuracy") {
  for (const char* name : {"char_lstm.task.json", "wave_gru.task.json"}) {
    const TrainedTask t = load_trained_task(task_path(name));
    const HwConfig c;  // the default formats
    const TaskRun g = run_task_golden(t, c);
    const TaskRun f = run_task_float(t);
    INFO(fmt::format("{}: float {:.4f}, golden {:.4f}", name, f.accuracy, g.accuracy));
    CHECK(g.accuracy >= f.accuracy - 0.01);
    CHECK(compare_task_h(g, f).max_abs < 0.05);
  }
}

TEST_CASE("chunks with the state carried give the bits of one unbroken run") {
  TrainedTask t = load_trained_task(task_path("char_lstm.task.json"));
  const HwConfig c;
  const TaskRun chunked = run_task_golden(t, c);
  Sequence whole;
  for (const Sequence& s : t.inputs) whole.insert(whole.end(), s.begin(), s.end());
  const SetRun one = run_golden(c, t.model, {whole});
  std::size_t step = 0;
  bool same = true;
  for (const Sequence& s : chunked.run.outputs)
    for (const Vector& h : s) same = same && h == one.outputs.front()[step++];
  CHECK(same);
  CHECK(chunked.run.final_states.back().h == one.final_states.front().h);
  CHECK(chunked.run.final_states.back().c == one.final_states.front().c);
}

}  // TEST_SUITE
