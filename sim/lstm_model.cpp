// placeholder: implemented by the sim work
