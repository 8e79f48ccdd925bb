// The trained models of the accuracy benchmark (bench/models/, written by
// bench/train_accuracy_models.py): a model file plus a task file with the
// output layer, the evaluation data and its labels, scored by the float and
// golden engines. Figures only; nothing here passes or fails.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "sim/engines.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

struct TrainedTask {
  std::string name;
  std::string task;         // "next_character" or "classify_final_state"
  std::string description;
  std::string model_path;   // the model file the task names
  FloatModel model;
  // next_character: the evaluation text one-hot, in chunks run one after the
  // other with the state carried; classify_final_state: one sequence per example.
  SequenceSet inputs;
  bool carry_state = false;
  // next_character: the next character's index at every step of every chunk,
  // in order; classify_final_state: the class of every sequence.
  std::vector<int> labels;
  std::vector<Vector> head_weight;  // logits = head_weight * h + head_bias
  Vector head_bias;
  double torch_accuracy = 0.0;      // torch float64 on the same files, at training time
};

// Reads TASK.json and the model file it names (relative to it). Throws FileError.
TrainedTask load_trained_task(const std::string& path);

// One engine's run of a task.
struct TaskRun {
  SetRun run;                // outputs per chunk or example, final states, and (golden)
                             // the saturation counts summed over them
  std::vector<int> predicted;
  double accuracy = 0.0;
};

// Runs a set of sequences from initial states (empty: zero state) on one engine.
using TaskEngine =
    std::function<SetRun(const SequenceSet& inputs, const std::vector<FloatState>& initial)>;
// Scores a task on an engine: chunks one after another with the state
// carried, or every example in one run.
TaskRun run_task_with(const TrainedTask& t, const TaskEngine& engine);
TaskRun run_task_float(const TrainedTask& t);
TaskRun run_task_golden(const TrainedTask& t, const HwConfig& c);

// Largest |a - b| and mean over the outputs and final h of two runs.
ErrorStats compare_task_h(const TaskRun& a, const TaskRun& b);
// The same over the final c (an LSTM's; zero counts for a GRU).
ErrorStats compare_task_c(const TaskRun& a, const TaskRun& b);

// Largest |c| the float model reaches at any step of the task (one direction
// LSTMs only; 0 otherwise): what the cell format must hold.
double max_abs_cell(const TrainedTask& t);

}  // namespace lstm
