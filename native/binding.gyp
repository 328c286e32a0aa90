{
  "targets": [
    {
      "target_name": "pwatch",
      "sources": ["src/addon.cc", "src/errors.cc", "src/sys.cc", "src/probe.cc", "src/pty.cc", "src/slots.cc",
                  "src/slot_engine.cc", "src/slot_binding.cc", "src/ring_reader.cc", "src/binding_util.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"]
    },
    {
      "target_name": "pwatch-exec",
      "type": "executable",
      "sources": ["src/exec_helper.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
