# Fuzz harnesses (tests/fuzz/fuzz_<name>.cpp), built two ways:
# - fuzz_<name>: the libFuzzer program, only with -DCBSIM_FUZZ=ON (clang);
#   `make fuzz` runs them (scripts in tests/fuzz/).
# - fuzz_replay_<name>: the same harness with replay_main.cpp, in every build;
#   ctest runs it over tests/fuzz/regressions/<name>/, so every input a fuzzer
#   once crashed on stays a regression test of `make test` (and, in the
#   sanitizer build, of `make test-sanitize`).
set(CBSIM_FUZZ_TARGETS scenario_text scenario_overrides evm_code rlp_trie state_test uint256)
# The library each harness needs: preflight (the overlay) and the state-test
# runner live in cbsim_sim, the loader in cbsim_scenario, the rest in models/.
set(CBSIM_FUZZ_LIBS_scenario_text cbsim_sim)
set(CBSIM_FUZZ_LIBS_scenario_overrides cbsim_scenario)
set(CBSIM_FUZZ_LIBS_state_test cbsim_sim)
set(CBSIM_FUZZ_LIBS_evm_code cbsim_models)
set(CBSIM_FUZZ_LIBS_rlp_trie cbsim_models)
set(CBSIM_FUZZ_LIBS_uint256 cbsim_models PkgConfig::GMP)

foreach(name IN LISTS CBSIM_FUZZ_TARGETS)
  set(harness ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_${name}.cpp)
  set(variants fuzz_replay_${name})
  add_executable(fuzz_replay_${name} ${harness} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
  if(CBSIM_FUZZ)
    add_executable(fuzz_${name} ${harness})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    list(APPEND variants fuzz_${name})
  endif()
  foreach(variant IN LISTS variants)
    target_link_libraries(${variant} PRIVATE ${CBSIM_FUZZ_LIBS_${name}})
    target_compile_definitions(${variant} PRIVATE CBSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    # SimGrid 3.32 headers use APIs that 3.32 itself marks deprecated.
    target_compile_options(${variant} PRIVATE -Wno-deprecated-declarations)
  endforeach()
  add_test(NAME fuzz_replay.${name}
           COMMAND fuzz_replay_${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/regressions/${name})
  set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS fuzz_replay TIMEOUT 300)
endforeach()
