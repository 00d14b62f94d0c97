#ifndef NEXUS_CCURL_SHIM_H
#define NEXUS_CCURL_SHIM_H
#include <curl/curl.h>
/* curl_easy_setopt / getinfo are variadic: typed wrappers Swift can call. */
static inline CURLcode nx_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode nx_curl_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode nx_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode nx_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode nx_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*nx_curl_data_cb)(char *, size_t, size_t, void *);
static inline CURLcode nx_curl_setopt_datacb(CURL *h, CURLoption o, nx_curl_data_cb v) { return curl_easy_setopt(h, o, v); }
typedef int (*nx_curl_xferinfo_cb)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode nx_curl_setopt_xferinfo(CURL *h, nx_curl_xferinfo_cb v) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, v); }
static inline CURLcode nx_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
/* CURLMsg carries its result in a union; read it in C. */
static inline CURLcode nx_curl_msg_result(const CURLMsg *m) { return m->data.result; }
static inline int nx_curl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode nx_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
#endif
