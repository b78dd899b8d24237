#include "train_flags.hpp"

#include <map>
#include <stdexcept>

namespace initlab::tool {

namespace {

// TrainingConfig field -> the option of `initlab train` that sets it.
const std::map<std::string, std::string, std::less<>> kOptionOf = {
    {"preset", "--preset"}, {"dataset", "--dataset"}, {"data_dir", "--data"},  {"lr", "--lr"},
    {"epochs", "--epochs"}, {"n_train", "--train"},   {"seeds", "--seeds"},    {"inits", "--init"}};

template <class F>
auto with_options(F f) {
  try {
    return f();
  } catch (const study::ConfigError& e) {
    const auto it = kOptionOf.find(e.field);
    throw std::invalid_argument((it == kOptionOf.end() ? e.field : it->second) + ": " + e.detail);
  }
}

}  // namespace

study::Preset parse_preset_option(const std::string& name) {
  return with_options([&] { return study::parse_preset(name); });
}

study::TrainingSetup resolve_options(const study::TrainingConfig& c) {
  return with_options([&] { return study::resolve(c); });
}

}  // namespace initlab::tool
