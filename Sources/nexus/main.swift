import NexusCore
print("nexus")
