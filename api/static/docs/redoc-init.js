// Starts ReDoc on /redoc; the page holds no inline script (Content-Security-Policy: self).
window.addEventListener("load", function () {
  Redoc.init(document.body.dataset.openapi, {}, document.getElementById("redoc"));
});
