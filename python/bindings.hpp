#pragma once
// Shared by the translation units of the Python module `initlab`.

#include <pybind11/pybind11.h>

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

// initlab.theory and initlab.variance (studies.cpp).
void bind_studies(py::module_& m);

// initlab.critical, initlab.phase and initlab.spectrum (criticality.cpp).
void bind_criticality(py::module_& m);

}  // namespace initlab::python
