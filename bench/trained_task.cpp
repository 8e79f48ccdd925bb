// Loading and scoring the trained models of bench/models/.
#include "bench/trained_task.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/model_io.hpp"

namespace lstm {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw FileError(fmt::format("{}: {}", path, what));
}

const json& need(const json& j, const char* key, const std::string& path) {
  if (!j.is_object() || !j.contains(key)) fail(path, fmt::format("/{}: missing", key));
  return j.at(key);
}

// The next_character task: one-hot chunks of the text and the next characters.
void one_hot_chunks(TrainedTask& t, const json& j, const std::string& path) {
  const std::string alphabet = need(j, "alphabet", path).get<std::string>();
  const std::string text = need(j, "text", path).get<std::string>();
  const auto chunk = need(j, "chunk", path).get<std::size_t>();
  if (static_cast<int>(alphabet.size()) != t.model.input_size || chunk == 0 || text.size() < 2)
    fail(path, "/alphabet, /chunk, /text: expected input_size characters, a chunk > 0 and a text");
  std::vector<int> idx;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const std::size_t i = alphabet.find(text[k]);
    if (i == std::string::npos) fail(path, fmt::format("/text/{}: not in /alphabet", k));
    idx.push_back(static_cast<int>(i));
  }
  // Input at step k is character k; its label the character after it.
  for (std::size_t start = 0; start + 1 < idx.size(); start += chunk) {
    Sequence seq;
    for (std::size_t k = start; k < std::min(start + chunk, idx.size() - 1); ++k) {
      Vector x(alphabet.size(), 0.0);
      x[static_cast<std::size_t>(idx[k])] = 1.0;
      seq.push_back(std::move(x));
      t.labels.push_back(idx[k + 1]);
    }
    t.inputs.push_back(std::move(seq));
  }
  t.carry_state = true;
}

// The class scores of h, and the best class.
int argmax_logits(const TrainedTask& t, const Vector& h) {
  int best = 0;
  double best_score = 0.0;
  for (std::size_t c = 0; c < t.head_weight.size(); ++c) {
    double s = t.head_bias[c];
    for (std::size_t u = 0; u < h.size(); ++u) s += t.head_weight[c][u] * h[u];
    if (c == 0 || s > best_score) {
      best_score = s;
      best = static_cast<int>(c);
    }
  }
  return best;
}

// The last layer's final h of every direction, concatenated (torch.cat of
// h_n[-2] and h_n[-1] for a bidirectional model).
Vector final_readout(const FloatModel& m, const FloatState& s) {
  Vector h;
  const std::size_t dirs = static_cast<std::size_t>(m.directions());
  for (std::size_t d = 0; d < dirs; ++d) {
    const Vector& row = s.h[(m.layers.size() - 1) * dirs + d];
    h.insert(h.end(), row.begin(), row.end());
  }
  return h;
}

std::vector<FloatState> as_initial(const FloatState& s) {
  return s.h.empty() ? std::vector<FloatState>{} : std::vector<FloatState>{s};
}

}  // namespace

TaskRun run_task_with(const TrainedTask& t, const TaskEngine& engine) {
  // Chunks run one after another with the state carried; examples all at once.
  std::vector<SetRun> runs;
  if (t.carry_state) {
    FloatState state;
    for (const Sequence& seq : t.inputs) {
      runs.push_back(engine({seq}, as_initial(state)));
      state = runs.back().final_states.front();
    }
  } else {
    runs.push_back(engine(t.inputs, {}));
  }
  TaskRun r;
  for (SetRun& one : runs) {
    r.run.saturation.resize(std::max(r.run.saturation.size(), one.saturation.size()));
    for (std::size_t k = 0; k < one.saturation.size(); ++k) r.run.saturation[k] += one.saturation[k];
    for (std::size_t s = 0; s < one.outputs.size(); ++s) {
      if (t.task == "next_character")
        for (const Vector& h : one.outputs[s]) r.predicted.push_back(argmax_logits(t, h));
      else
        r.predicted.push_back(argmax_logits(t, final_readout(t.model, one.final_states[s])));
      r.run.outputs.push_back(std::move(one.outputs[s]));
      r.run.final_states.push_back(std::move(one.final_states[s]));
    }
  }
  std::size_t right = 0;
  for (std::size_t k = 0; k < r.predicted.size(); ++k) right += r.predicted[k] == t.labels[k];
  r.accuracy = static_cast<double>(right) / static_cast<double>(r.predicted.size());
  return r;
}

TrainedTask load_trained_task(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, "cannot open");
  std::stringstream text;
  text << in.rdbuf();
  const json j = parse_json_text(text.str(), path);
  TrainedTask t;
  try {
    t.name = need(j, "name", path).get<std::string>();
    t.task = need(j, "task", path).get<std::string>();
    t.description = j.value("description", "");
    t.model_path = (std::filesystem::path(path).parent_path() /
                    need(j, "model", path).get<std::string>()).string();
    t.model = read_model_file(t.model_path);
    t.head_weight = need(need(j, "head", path), "weight", path).get<std::vector<Vector>>();
    t.head_bias = need(need(j, "head", path), "bias", path).get<Vector>();
    t.torch_accuracy = need(j, "torch_float64_accuracy", path).get<double>();
    if (t.task == "next_character") {
      one_hot_chunks(t, j, path);
    } else if (t.task == "classify_final_state") {
      t.inputs = inputs_from_json(need(j, "inputs", path), path, t.model).sequences;
      t.labels = need(j, "labels", path).get<std::vector<int>>();
    } else {
      fail(path, fmt::format("/task: unknown task \"{}\"", t.task));
    }
  } catch (const json::exception& e) {
    fail(path, e.what());
  }
  const std::size_t width = t.task == "next_character"
                                ? static_cast<std::size_t>(t.model.hidden_size)
                                : static_cast<std::size_t>(t.model.hidden_size * t.model.directions());
  bool ok = !t.head_weight.empty() && t.head_bias.size() == t.head_weight.size();
  for (const Vector& row : t.head_weight) ok = ok && row.size() == width;
  std::size_t steps = 0;
  for (const Sequence& s : t.inputs) steps += s.size();
  ok = ok && t.labels.size() == (t.task == "next_character" ? steps : t.inputs.size());
  if (!ok) fail(path, "/head or /labels: shapes do not fit the model and the inputs");
  return t;
}

TaskRun run_task_float(const TrainedTask& t) {
  return run_task_with(t, [&](const SequenceSet& x, const std::vector<FloatState>& s) {
    return run_float(t.model, x, s);
  });
}

TaskRun run_task_golden(const TrainedTask& t, const HwConfig& c) {
  // The final state comes back dequantized exactly and is quantized again
  // without loss: chunks with the state carried give one long run's bits.
  return run_task_with(t, [&](const SequenceSet& x, const std::vector<FloatState>& s) {
    return run_golden(c, t.model, x, s);
  });
}

ErrorStats compare_task_h(const TaskRun& a, const TaskRun& b) {
  SequenceSet x = a.run.outputs;
  SequenceSet y = b.run.outputs;
  for (std::size_t k = 0; k < a.run.final_states.size(); ++k) {
    x.push_back(a.run.final_states[k].h);
    y.push_back(b.run.final_states[k].h);
  }
  return compare_outputs(x, y);
}

ErrorStats compare_task_c(const TaskRun& a, const TaskRun& b) {
  SequenceSet x, y;
  for (std::size_t k = 0; k < a.run.final_states.size(); ++k) {
    x.push_back(a.run.final_states[k].c);
    y.push_back(b.run.final_states[k].c);
  }
  return compare_outputs(x, y);
}

double max_abs_cell(const TrainedTask& t) {
  if (t.model.cell != CellType::Lstm || t.model.bidirectional()) return 0.0;
  // Step by step with the state carried: the state after every step.
  double worst = 0.0;
  FloatState state;
  for (const Sequence& seq : t.inputs) {
    if (!t.carry_state) state = FloatState{};
    for (const Vector& x : seq) {
      state = run_float(t.model, {{x}}, as_initial(state)).final_states.front();
      for (const Vector& row : state.c)
        for (double v : row) worst = std::max(worst, std::abs(v));
    }
  }
  return worst;
}

}  // namespace lstm
