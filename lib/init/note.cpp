// The seed note's initializations as named instances of the rules (note.hpp).

#include "init/note.hpp"

#include "init/spec_args.hpp"

namespace initlab::init {

const std::vector<Entry<Rule>>& note_presets() {
  static const std::vector<Entry<Rule>> all{
      {{"note_zero"},
       [](const SpecArgs& a) { a.no_args(); return Rule{Constant{0.0}}; },
       {"note_zero", "w = 0", "0", "zeros", "the note's MNIST \"zero\" initialization"}},
      {{"note_uniform"},
       [](const SpecArgs& a) {
         a.no_args();
         return Rule{VarianceScaling{1.0 / 3.0, FanMode::fan_in, Distribution::uniform}};
       },
       {"note_uniform", "U(-1/sqrt(fan_in), 1/sqrt(fan_in))", "1/(3 fan_in)",
        "variance_scaling:scale=1/3,mode=fan_in,distribution=uniform",
        "the note's MNIST \"uniform\"; also PyTorch nn.Linear's default weight "
        "(kaiming_uniform_ with a = sqrt(5)); a third of Xavier's variance: vanishes with depth"}},
      {{"note_xavier"},
       [](const SpecArgs& a) {
         a.no_args();
         return Rule{VarianceScaling{1.0, FanMode::fan_in, Distribution::normal}};
       },
       {"note_xavier", "N(0, 1/fan_in)", "1/fan_in", "lecun_normal",
        "the note's MNIST \"Xavier\" (its default)"}},
      {{"note_standard_normal"},
       [](const SpecArgs& a) { a.no_args(); return Rule{Normal{1.0}}; },
       {"note_standard_normal", "N(0, 1)", "1", "normal:1",
        "the note's MNIST \"standard normal\"; saturates tanh at width 784"}},
  };
  return all;
}

}  // namespace initlab::init
