# SimGrid validation tests: cbsim's closed-form cloud models (models/cloud,
# pure C++) against SimGrid's own VM machinery (VM CPU sharing, the
# live-migration plugin). Each TEST creates one s4u::Engine, which SimGrid
# allows once per process; gtest_discover_tests makes ctest run each TEST in
# its own process.
file(GLOB CBSIM_SIMGRID_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/simgrid/*.cpp)
add_executable(cbsim_simgrid_tests ${CBSIM_SIMGRID_TESTS})
target_link_libraries(cbsim_simgrid_tests PRIVATE cbsim_models PkgConfig::SIMGRID GTest::gtest_main)
target_include_directories(cbsim_simgrid_tests PRIVATE ${PROJECT_SOURCE_DIR})
# SimGrid 3.32 headers use APIs that 3.32 itself marks deprecated.
target_compile_options(cbsim_simgrid_tests PRIVATE -Wno-deprecated-declarations)
gtest_discover_tests(cbsim_simgrid_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 60 LABELS simgrid)
