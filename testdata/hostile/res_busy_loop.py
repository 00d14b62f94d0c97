# hostile: spins the CPU forever
# modes: exec validate integration
# expect: timeout
while True:
    pass
