#ifndef NEXUS_CCURL_SHIM_H
#define NEXUS_CCURL_SHIM_H
/*
 * libcurl's types and constants only. nexus does not link libcurl: NexusLLM loads it with dlopen on the
 * first HTTP request (CurlLibrary.swift), because resolving libcurl and the ~30 libraries it pulls in
 * (OpenSSL, GnuTLS, Kerberos, LDAP, ...) was half of nexus's start-up. A direct call to a curl_* function
 * from Swift therefore fails to link, which keeps every call going through the loaded table.
 */
#include <curl/curl.h>

/* curl_easy_setopt is variadic: Swift cannot call them, and calling a variadic
   function through a non-variadic pointer is undefined. These wrappers make a proper variadic call
   through the pointer dlsym returned. */
typedef CURLcode (*nx_curl_setopt_fn)(CURL *, CURLoption, ...);
static inline CURLcode nx_curl_setopt_long(void *f, CURL *h, CURLoption o, long v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
static inline CURLcode nx_curl_setopt_ptr(void *f, CURL *h, CURLoption o, void *v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
static inline CURLcode nx_curl_setopt_str(void *f, CURL *h, CURLoption o, const char *v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
static inline CURLcode nx_curl_setopt_slist(void *f, CURL *h, CURLoption o, struct curl_slist *v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
static inline CURLcode nx_curl_setopt_off(void *f, CURL *h, CURLoption o, curl_off_t v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
typedef size_t (*nx_curl_data_cb)(char *, size_t, size_t, void *);
static inline CURLcode nx_curl_setopt_datacb(void *f, CURL *h, CURLoption o, nx_curl_data_cb v) { return ((nx_curl_setopt_fn)f)(h, o, v); }
/* CURLMsg carries its result in a union; read it in C. */
static inline CURLcode nx_curl_msg_result(const CURLMsg *m) { return m->data.result; }
static inline int nx_curl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
#endif
