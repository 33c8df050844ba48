// A manual pin: clicking the map fills in the latitude and longitude fields. Without JavaScript (or tiles)
// the two fields are typed in by hand, so the map is an aid and never required.
(function () {
  var element = document.getElementById("pin-map");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  // Tiles switched off (MAP_TILES_URL empty): a map of nothing would not help, and no tile server is asked.
  if (!element || !window.L || !lat || !lon || !element.dataset.tiles) { return; }
  element.hidden = false;
  document.getElementById("pin-hint").hidden = false;
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
  }
  // The pin goes where the fields say only if that is in Denmark (the bounds the server checks): a refused
  // 99999999999999 is shown back in its field, and a map asked to go there would never finish.
  var start = [parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))];
  if (start[0] >= 54.4 && start[0] <= 57.9 && start[1] >= 7.9 && start[1] <= 15.3) {
    place(start);
    map.setView(start, 15);
  } else {
    map.setView([56.0, 10.5], 7);
  }
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    place(event.latlng);
  });
})();
