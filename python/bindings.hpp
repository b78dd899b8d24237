#pragma once
// Shared by the translation units of the Python module `initlab`.

#include <pybind11/pybind11.h>

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace initlab::python {

namespace py = pybind11;

// A JSON value as the Python object json.loads would give for its text.
py::object to_python(const nlohmann::json& j);

// CSV columns as a dict of numpy arrays (studies.cpp): cols maps each name of `order`
// to a JSON array; numbers (null or NaN -> NaN) become float64, booleans bool, text str.
py::dict columns(const std::vector<std::string>& order, const nlohmann::json& cols);

// Rows appended cell by cell to the columns of `order` (the column wraps around at
// the end of a row), then handed to columns() (studies.cpp). A non-finite number
// becomes NaN, the CSV's empty cell; with kKeepInfinite only NaN does (theory's
// columns keep +-inf beyond the double range).
class Rows {
 public:
  static constexpr bool kKeepInfinite = true;
  explicit Rows(std::vector<std::string> names, bool keep_infinite = false);
  void add(double v);
  void add(const std::string& text);
  void add(bool flag);
  py::dict dict() const { return columns(order_, cols_); }

 private:
  void push(nlohmann::json cell);
  std::vector<std::string> order_;
  nlohmann::json cols_ = nlohmann::json::object();
  std::size_t next_ = 0;  // the column of the next cell
  bool keep_infinite_ = false;
};

// study::validate(config), then run(config), with the GIL released.
template <class Config, class Run>
auto run_released(const Config& config, Run run) {
  py::gil_scoped_release release;
  validate(config);
  return run(config);
}

// initlab.theory and initlab.variance (studies.cpp).
void bind_studies(py::module_& m);

// initlab.critical, initlab.phase and initlab.spectrum (criticality.cpp).
void bind_criticality(py::module_& m);

}  // namespace initlab::python
