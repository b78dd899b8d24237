// The consumer of an installed initlab: draws He-normal weights, checks their
// shape, their reproducibility and that they are not all one value, and asks
// the theory for tanh's critical point (sw2 = 1 at sb2 = 0, exact). Exit 0 when
// all hold; a line naming what failed otherwise.
#include <cmath>
#include <iostream>

#include <initlab/core/version.hpp>
#include <initlab/init/draw.hpp>
#include <initlab/random/stream.hpp>
#include <initlab/theory/meanfield.hpp>

int main() {
  using namespace initlab;
  const init::Initializer ini = init::parse("he_normal");
  const FanShape s{30, 50};
  const Matrix<double> w = init::draw<double>(ini, s, random::Stream(7));
  const Matrix<double> again = init::draw<double>(ini, s, random::Stream(7));
  if (w.shape()[0] != 30 || w.shape()[1] != 50) {
    std::cerr << "consumer: he_normal drew shape (" << w.shape()[0] << ", " << w.shape()[1]
              << "), expected (30, 50)\n";
    return 1;
  }
  if (!(w == again) || w(0, 0) == w(29, 49)) {
    std::cerr << "consumer: he_normal is not reproducible per seed or is constant\n";
    return 1;
  }
  const double sw2 = theory::critical_sw2(Activation{Activation::Kind::tanh}, 0.0);
  if (std::abs(sw2 - 1.0) > 1e-9) {
    std::cerr << "consumer: tanh's critical sw2 at sb2 = 0 is " << sw2 << ", expected 1\n";
    return 1;
  }
  std::cout << "consumer: linked " << version_string() << "\n";
  return 0;
}
