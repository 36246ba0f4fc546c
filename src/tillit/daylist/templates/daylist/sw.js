{% load static %}/* tillit's day list offline: keeps /dagliste/ and its own files for the shift.
   The page tells this worker to forget everything once the shift is over. */
const CACHE = "tillit-daylist-v1";
const PAGE = "{% url 'daylist:page' %}";
const FILES = [
  "{% static 'vendor/punkt/css/pkt.min.css' %}",
  "{% static 'tillit/app.css' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'daylist/daylist.css' %}",
  "{% static 'daylist/daylist.js' %}",
  "{% static 'vendor/punkt/logos/oslologo.svg' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all([cache.addAll(FILES), cache.add(PAGE)]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    // Network first: the newest list when there is a network, the saved one when not.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
        }
        return response;
      }).catch(() => caches.match(PAGE).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
