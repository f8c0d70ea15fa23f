# Simulation tests: a GoogleTest program whose tests each start the cbsim
# binary in child processes (SimGrid allows one engine per process) and check
# the results it writes.
file(GLOB CBSIM_SIM_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/sim/*.cpp)
add_executable(cbsim_sim_tests ${CBSIM_SIM_TESTS})
# cbsim_sim for the engine-free parts tested in-process (the fault plan).
target_link_libraries(cbsim_sim_tests PRIVATE cbsim_sim nlohmann_json::nlohmann_json GTest::gtest_main)
target_include_directories(cbsim_sim_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(cbsim_sim_tests PRIVATE CBSIM_BINARY="$<TARGET_FILE:cbsim>"
                                                   CBSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(cbsim_sim_tests cbsim)
gtest_discover_tests(cbsim_sim_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 900 LABELS simulation)
