#pragma once
// `initlab train`'s options for the TrainingConfig fields that study::parse_preset
// and study::resolve reject (study::ConfigError names the field, lib/ never a
// flag): the same checks, the error as "--lr: -0.5 is not a learning rate; ...".

#include <string>

#include "study/training_preset.hpp"

namespace initlab::tool {

study::Preset parse_preset_option(const std::string& name);
study::TrainingSetup resolve_options(const study::TrainingConfig& c);

}  // namespace initlab::tool
