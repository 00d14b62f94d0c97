import NexusCore

/// One turn as either harness mode saw it, in the terms both can report: the events exactly as `--json`
/// prints them, the messages each model request carried, and what the session's database recorded.
public struct TurnRecord: Sendable {
    /// One message of a model request.
    public struct Message: Sendable, Equatable {
        public var role: String
        public var content: String
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// One row of the module call log (`module_calls`).
    public struct ModuleCall: Sendable, Equatable {
        public var module: String
        public var tool: String
        public var outcome: String
        public init(module: String, tool: String, outcome: String) {
            self.module = module
            self.tool = tool
            self.outcome = outcome
        }
    }

    /// Every event of the turn, as `--json` lines (`type`, `turn`, `t_ms`, payload).
    public var events: [JSONValue]
    /// Each provider's requests in this session so far, in order: the messages each carried.
    public var modelRequests: [String: [[Message]]]
    /// The tool names each of those requests offered the model, in the same order.
    public var toolsOffered: [String: [[String]]]
    /// Model calls per provider in the ledger (`llm_calls`).
    public var ledger: [String: Int]
    /// The module call log, oldest first.
    public var moduleCalls: [ModuleCall]
    /// The process's exit status (binary) or the one line mode would give for the outcome (in process).
    public var exitStatus: Int32

    /// The `type` of each event, in order.
    public var types: [String] { events.compactMap { $0["type"]?.stringValue } }

    /// The events of one type.
    public func events(_ type: String) -> [JSONValue] { events.filter { $0["type"]?.stringValue == type } }

    /// `turn_finished`'s outcome: ok, error, cancelled, approval_denied.
    public var outcome: String? { events("turn_finished").last?["outcome"]?.stringValue }

    /// The answer shown to the person (`final`).
    public var finalText: String? { events("final").last?["text"]?.stringValue }

    /// What tools answered, as `provider` was given it (the `tool` messages of its last request).
    public func toolMessagesSeenByModel(_ provider: String = "fake") -> [String] {
        (modelRequests[provider]?.last ?? []).filter { $0.role == "tool" }.map(\.content)
    }
}
