package dev.tollgate.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Finds distinct free loopback ports; as a main, prints {@code N} of them on one line. */
public final class FreePorts {

  private FreePorts() {}

  public static void main(String[] args) throws IOException {
    int count = args.length == 0 ? 1 : Integer.parseInt(args[0]);
    System.out.println(take(count).stream().map(String::valueOf).collect(Collectors.joining(" ")));
  }

  static List<Integer> take(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress())); // held open so all differ
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }
}
