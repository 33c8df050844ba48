// The actor map: Leaflet with OpenStreetMap tiles when they can load. The list under the map holds the same
// actors, so the page works without tiles, without JavaScript, and with a screen reader.
(function () {
  var element = document.getElementById("actor-map");
  if (!element || !window.L) { return; }
  var points = JSON.parse(document.getElementById("actor-points").textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution }).addTo(map);
  }
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#0059b3", weight: 2, fillOpacity: 0.6 });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name + " (" + p.sector + ")";
    marker.bindPopup(link).addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  JSON.parse(document.getElementById("challenge-points").textContent).forEach(function (c) {
    var square = L.marker([c.lat, c.lon], {
      icon: L.divIcon({ className: "samskab-challenge-marker", iconSize: [14, 14] }),
      title: c.name, alt: c.name
    });
    var link = document.createElement("a");
    link.href = c.url;
    link.textContent = c.name;
    square.bindPopup(link).addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); } else { map.setView([56.0, 10.5], 7); }
})();
