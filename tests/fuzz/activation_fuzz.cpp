// libFuzzer target: the activation parser (lib/core/activation.hpp). A spec that
// parses must round-trip through name(); a list parses element by element.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/activation.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const auto text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    const Activation a = Activation::parse(text);
    const Activation back = Activation::parse(a.name());
    if (back.kind != a.kind || back.slope != a.slope || back.name() != a.name()) std::abort();
  });
  fuzz::expect_clean([&] { Activation::parse_list(text); });
  return 0;
}
