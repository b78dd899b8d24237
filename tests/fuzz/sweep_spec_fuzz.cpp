// libFuzzer target: the sweep-file parser (lib/study/sweep_spec.hpp,
// study::parse_sweep_spec). A file that parses must parse again from its
// canonical form to the same canonical form (the journal's fingerprint depends
// on it), and its first and last configurations must be reachable.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "study/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const auto text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    const study::SweepSpec spec = study::parse_sweep_spec(text, "fuzz.json");
    const std::string canonical = spec.canonical();
    if (study::parse_sweep_spec(canonical, "canonical").canonical() != canonical) std::abort();
    if (spec.size() == 0 || spec.size() > study::kMaxSweepSize) std::abort();
    if (study::sweep_point(spec, 0).values.size() != spec.parameters.size()) std::abort();
    study::sweep_point(spec, spec.size() - 1).key();
  });
  return 0;
}
