# `cmake --install BUILD --prefix PREFIX`: the static library, its headers under
# PREFIX/include/initlab/ (core/, init/, nn/, ...), the `initlab` tool and a CMake
# package, so that another project writes
#   find_package(initlab CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE initlab::initlab)
# and includes <initlab/init/initializer.hpp>. initlab::initlab carries what the
# library's ABI requires of its users (initlab::abi: XTENSOR_USE_XSIMD, WITH_OPENBLAS,
# and -march=native when built with INITLAB_NATIVE); the package config says so
# when it is found. tests/install/ builds a consumer against such an install.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(INITLAB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/initlab)
set_target_properties(initlab_abi PROPERTIES EXPORT_NAME abi)
install(TARGETS initlab initlab_abi EXPORT initlabTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS initlab_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/initlab
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT initlabTargets NAMESPACE initlab:: DESTINATION ${INITLAB_CMAKE_DIR})

# What the config tells a consumer it compiles with (the library's ABI).
set(INITLAB_ABI_FLAGS "XTENSOR_USE_XSIMD WITH_OPENBLAS")
if(INITLAB_NATIVE)
  string(APPEND INITLAB_ABI_FLAGS " -march=native (of the machine that built initlab)")
endif()
if(INITLAB_SANITIZE)
  string(APPEND INITLAB_ABI_FLAGS " -fsanitize=address,undefined")
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/initlabConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/initlabConfig.cmake
                              INSTALL_DESTINATION ${INITLAB_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/initlabConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/initlabConfig.cmake
              ${PROJECT_BINARY_DIR}/initlabConfigVersion.cmake
        DESTINATION ${INITLAB_CMAKE_DIR})
