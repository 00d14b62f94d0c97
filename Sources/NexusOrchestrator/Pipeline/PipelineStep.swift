import NexusCore

/// The turn pipeline's node timer (DESIGN §4.4): one implementation for chat turns and module builds.
typealias PipelineStep = PipelineNodeTimer
