// The service worker: a page loaded once keeps working after a reload with no network (a venue's
// Wi-Fi). Same-origin GETs only. The page itself (navigations) comes from the network when there is
// one, else from the cache; every other file (content-hashed by the build, so it never changes
// under its name) from the cache, else the network — and is kept. Nothing is fetched ahead: the
// files are kept as the page asks for them, so the first visit downloads nothing big twice.
// The build (vite.config.js) names the cache after the files it emitted.
const CACHE = 'glasslayer-__BUILD__';

// The page the visitor opened came before this worker existed: keep a copy of it (the one file
// fetched twice — a few KiB); everything else is kept as the page asks for it.
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.add(new URL('./', self.location.href).href);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('glasslayer-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function keep(request, response) {
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(CACHE);
    await cache.put(request, response);
  }
}

async function pageFirst(request) {
  try {
    const response = await fetch(request);
    keep(request, response.clone());
    return response;
  } catch (e) {
    const hit = await caches.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw e;
  }
}

async function cacheFirst(request, event) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  event.waitUntil(keep(request, response.clone()));
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.headers.has('range')) return;
  event.respondWith(request.mode === 'navigate' ? pageFirst(request) : cacheFirst(request, event));
});
