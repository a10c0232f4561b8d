/* cityprofiles: Decap CMS waits until cityprofiles-admin.js has loaded this site's
   configuration and registered its file formats, then that script starts it. */
window.CMS_MANUAL_INIT = true;
