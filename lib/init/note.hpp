#pragma once
// The seed note's names for the initializations of its MNIST experiment
// (Katanforoosh & Kunin 2019): note_zero, note_uniform, note_xavier,
// note_standard_normal, each a fixed instance of one rule.

#include <vector>

#include "init/initializer.hpp"

namespace initlab::init {

// Listed after the rules' own names in the registry and the table.
const std::vector<Entry<Rule>>& note_presets();

}  // namespace initlab::init
