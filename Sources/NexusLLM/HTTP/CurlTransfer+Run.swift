import CCurl
import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// libcurl is initialised once per process, before the first handle.
enum CurlGlobal {
    static let ready: Bool = nx_curl_global_init() == CURLE_OK
}

extension CurlTransfer {
    /// The transfer thread's body: configure an easy handle, drive it with a multi handle until done,
    /// cancelled or idle too long, then report.
    func run() {
        guard CurlGlobal.ready, let easy = curl_easy_init() else {
            fail(ProviderError(.connection, provider: request.label, message: "libcurl could not be initialised"))
            return
        }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            fail(ProviderError(.connection, provider: request.label, message: "libcurl could not be initialised"))
            return
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        nx_curl_setopt_str(easy, CURLOPT_URL, request.url)
        nx_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        nx_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        nx_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        nx_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(request.connectTimeout * 1000)))
        nx_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        nx_curl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        nx_curl_setopt_str(easy, CURLOPT_USERAGENT, "nexus/0.1")
        // Proxies: libcurl reads http_proxy / https_proxy / no_proxy from the environment by default.
        nx_curl_setopt_datacb(easy, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            return t.onBody(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        nx_curl_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        nx_curl_setopt_datacb(easy, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            return t.onHeaderLine(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        nx_curl_setopt_ptr(easy, CURLOPT_HEADERDATA, me)

        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip for large bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        nx_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)

        if request.method == .post {
            nx_curl_setopt_long(easy, CURLOPT_POST, 1)
            nx_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBufferPointer { buf in
                // COPYPOSTFIELDS copies, so the buffer need not outlive this call.
                let p = UnsafeMutableRawPointer(mutating: buf.baseAddress ?? UnsafePointer(bitPattern: 1))
                nx_curl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, p)
            }
        }

        curl_multi_add_handle(multi, easy)
        let address = UInt(bitPattern: multi)
        state.withLock { $0.multiAddress = address }

        let readTimeoutNs = UInt64(max(0.001, request.readTimeout) * 1e9)
        var result = CURLE_OK
        var idleTimeout = false
        var running: Int32 = 1
        loop: while true {
            let mc = curl_multi_perform(multi, &running)
            if mc != CURLM_OK {
                result = CURLE_RECV_ERROR
                break
            }
            var queued: Int32 = 0
            while let msg = curl_multi_info_read(multi, &queued) {
                if nx_curl_msg_is_done(msg) != 0 {
                    result = nx_curl_msg_result(msg)
                    break loop
                }
            }
            if running == 0 { break }
            let (cancelled, last) = state.withLock { ($0.cancelled, $0.lastActivityNs) }
            if cancelled { break }
            let now = MonotonicClock.nanoseconds()
            if now &- last > readTimeoutNs {
                idleTimeout = true
                break
            }
            let waitMs = Int32(min(250, max(1, (readTimeoutNs - (now &- last)) / 1_000_000 + 1)))
            curl_multi_poll(multi, nil, 0, waitMs, nil)
        }

        state.withLock { $0.multiAddress = 0 }
        curl_multi_remove_handle(multi, easy)
        curl_multi_cleanup(multi)
        let detail = String(cString: errorBuffer)
        curl_easy_cleanup(easy)
        finish(code: result, detail: detail, idleTimeout: idleTimeout)
    }
}
