package io.meshcp.clientconfig;

enum Network {
    WIFI, CELLULAR, ETHERNET, UNKNOWN
}
