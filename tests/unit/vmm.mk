# vmm: the pool's pure decisions (backoff, crash loop, resize plan,
# addresses, MACs, the accelerator rule).
TESTS += test_vmm_policy
test_vmm_policy_SRCS := test_vmm_policy.c $(TOP)/vmm/policy.c
test_vmm_policy_CPPFLAGS := -I$(TOP)/vmm
