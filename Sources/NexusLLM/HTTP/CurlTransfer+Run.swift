import CCurl
import NexusCore

extension CurlTransfer {
    /// The transfer thread's body: configure an easy handle, drive it with a multi handle until done,
    /// cancelled or idle too long, then report.
    func run() {
        let curl: CurlLibrary
        do {
            curl = try CurlLibrary.get()
        } catch {
            fail(ProviderError(.connection, provider: request.label, message: error.description))
            return
        }
        guard let easy = curl.easyInit() else {
            fail(ProviderError(.connection, provider: request.label, message: "libcurl could not be initialised"))
            return
        }
        guard let multi = curl.multiInit() else {
            curl.easyCleanup(easy)
            fail(ProviderError(.connection, provider: request.label, message: "libcurl could not be initialised"))
            return
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl.slistFreeAll(headerList)
            errorBuffer.deallocate()
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        nx_curl_setopt_str(curl.easySetopt, easy, CURLOPT_URL, request.url)
        nx_curl_setopt_long(curl.easySetopt, easy, CURLOPT_NOSIGNAL, 1)
        nx_curl_setopt_long(curl.easySetopt, easy, CURLOPT_SSL_VERIFYPEER, 1)
        nx_curl_setopt_long(curl.easySetopt, easy, CURLOPT_SSL_VERIFYHOST, 2)
        nx_curl_setopt_long(
            curl.easySetopt, easy, CURLOPT_CONNECTTIMEOUT_MS, Seconds.milliseconds(request.connectTimeout, atLeast: 1))
        nx_curl_setopt_long(curl.easySetopt, easy, CURLOPT_TCP_KEEPALIVE, 1)
        nx_curl_setopt_ptr(curl.easySetopt, easy, CURLOPT_ERRORBUFFER, errorBuffer)
        nx_curl_setopt_str(curl.easySetopt, easy, CURLOPT_USERAGENT, "nexus/0.1")
        // Proxies: libcurl reads http_proxy / https_proxy / no_proxy from the environment by default.
        nx_curl_setopt_datacb(curl.easySetopt, easy, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            return t.onBody(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        nx_curl_setopt_ptr(curl.easySetopt, easy, CURLOPT_WRITEDATA, me)
        nx_curl_setopt_datacb(curl.easySetopt, easy, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            guard let user, let ptr else { return 0 }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            return t.onHeaderLine(UnsafeRawBufferPointer(start: ptr, count: n)) ? n : 0
        }
        nx_curl_setopt_ptr(curl.easySetopt, easy, CURLOPT_HEADERDATA, me)

        for (name, value) in request.headers {
            headerList = curl.slistAppend(headerList, "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip for large bodies.
        headerList = curl.slistAppend(headerList, "Expect:")
        nx_curl_setopt_slist(curl.easySetopt, easy, CURLOPT_HTTPHEADER, headerList)

        if request.method == .post {
            nx_curl_setopt_long(curl.easySetopt, easy, CURLOPT_POST, 1)
            nx_curl_setopt_off(curl.easySetopt, easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            request.body.withUnsafeBufferPointer { buf in
                // COPYPOSTFIELDS copies, so the buffer need not outlive this call.
                let p = UnsafeMutableRawPointer(mutating: buf.baseAddress ?? UnsafePointer(bitPattern: 1))
                nx_curl_setopt_ptr(curl.easySetopt, easy, CURLOPT_COPYPOSTFIELDS, p)
            }
        }

        _ = curl.multiAddHandle(multi, easy)
        let address = UInt(bitPattern: multi)
        state.withLock { $0.multiAddress = address }

        let readTimeoutNs = Seconds.nanoseconds(max(0.001, request.readTimeout))
        var result = CURLE_OK
        var idleTimeout = false
        var running: Int32 = 1
        loop: while true {
            let mc = curl.multiPerform(multi, &running)
            if mc != CURLM_OK {
                result = CURLE_RECV_ERROR
                break
            }
            var queued: Int32 = 0
            while let msg = curl.multiInfoRead(multi, &queued) {
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
            _ = curl.multiPoll(multi, nil, 0, waitMs, nil)
        }

        state.withLock { $0.multiAddress = 0 }
        _ = curl.multiRemoveHandle(multi, easy)
        _ = curl.multiCleanup(multi)
        let detail = String(cString: errorBuffer)
        curl.easyCleanup(easy)
        finish(code: result, detail: detail, idleTimeout: idleTimeout)
    }
}
