import NexusAdminChannel
import NexusCore
import NexusPOSIX

// nexus-admin: the HTTP front of nexus's admin server (issue 16), a process of its own so `nexus` links no
// HTTP server. Started by nexus with a socketpair as descriptor 3 (`AdminFront`); it exits when that channel
// ends (nexus is gone) or on SIGTERM. See FrontServer for what it does and does not decide.

ProcessControl.ignoreBrokenPipe()
let options: FrontOptions
do {
    options = try FrontOptions(Array(CommandLine.arguments.dropFirst()))
} catch {
    Descriptor.writeAll(2, Array("nexus-admin: \(error.text)\n\(FrontOptions.usage)\n".utf8))
    ProcessControl.exit(2)
}
guard SocketPair.isOpen(options.channelFD) else {
    Descriptor.writeAll(
        2, Array("nexus-admin: descriptor \(options.channelFD) is not open\n\(FrontOptions.usage)\n".utf8))
    ProcessControl.exit(2)
}
SocketPair.setCloseOnExec(options.channelFD)

let pending = PendingReplies()
let link = AdminLink(
    fd: options.channelFD, name: "channel",
    onMessage: { message in
        guard case .reply(let id, let response) = message, pending.resolve(id, response) else {
            Descriptor.writeAll(2, Array("nexus-admin: dropped an unexpected message from nexus\n".utf8))
            return
        }
    },
    onDropped: { reason in Descriptor.writeAll(2, Array("nexus-admin: dropped a frame: \(reason)\n".utf8)) },
    onEnd: { _ in
        // nexus has gone (or closed the channel): nobody is left to answer, so stop at once.
        pending.closeAll()
        ProcessControl.exitImmediately(0)
    })
await FrontServer.run(options, link: link, pending: pending)
ProcessControl.exit(0)
